import { Logger } from '@aws-lambda-powertools/logger';
import { redactSecrets } from '../../core/security/redact-secrets';

/**
 * Structured JSON logs for every handler. Each line carries the keys the handler appends
 * (policy, scheduledTime, dropletId, actionId) and never the token: strings pass through
 * `redactSecrets`, and an `authorization` field is dropped whatever it holds.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({
    serviceName,
    jsonReplacerFn: (key, value) => {
      if (key.toLowerCase() === 'authorization') return undefined;
      return typeof value === 'string' ? redactSecrets(value) : value;
    },
  });
}
