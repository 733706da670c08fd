import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { dispatchRun, type DispatchOutcome } from '../core/use-cases/dispatch-run';
import type { UseCaseDependencies } from '../core/use-cases/use-case-dependencies';
import { parseDispatchEvent } from './dispatch-event';

/**
 * The dispatch Lambda: one schedule tick. A bad event fails before any DigitalOcean call; the
 * schedule's retry policy and dead-letter queue own retries (the function's own are off).
 */
export function createDispatchHandler(dependencies: () => Promise<UseCaseDependencies>, logger: Logger) {
  return async (event: unknown, context?: Context): Promise<DispatchOutcome> => {
    if (context) logger.addContext(context);
    const request = parseDispatchEvent(event);
    logger.appendKeys({
      policy: request.policy.name,
      scheduledTime: request.scheduledTime,
      executionId: request.executionId,
    });
    try {
      const outcome = await dispatchRun(await dependencies(), request);
      logger.info('tick dispatched', { outcome });
      return outcome;
    } finally {
      logger.resetKeys();
    }
  };
}
