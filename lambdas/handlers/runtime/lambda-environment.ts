import * as z from 'zod';
import { ConfigurationError } from '../../core/errors/configuration-error';
import { parseTeamScope, type TeamScope } from '../../core/ledger/team-scope';

/**
 * The one place that owns the Lambda environment's variable names; the CDK construct sets them
 * from this map, so a rename cannot leave the two apart.
 */
export const ENVIRONMENT_VARIABLES = {
  tableName: 'LEDGER_TABLE_NAME',
  workQueueUrl: 'WORK_QUEUE_URL',
  tokenSecretArn: 'DIGITALOCEAN_TOKEN_SECRET_ARN',
  eventBusName: 'EVENT_BUS_NAME',
  apiUrl: 'DIGITALOCEAN_API_URL',
  auditRetentionDays: 'AUDIT_RETENTION_DAYS',
  rateShare: 'DIGITALOCEAN_RATE_SHARE',
} as const;

export type EnvironmentKey = keyof typeof ENVIRONMENT_VARIABLES;

const schemas = {
  tableName: z.string().min(3).max(255),
  workQueueUrl: z.url(),
  tokenSecretArn: z.string().startsWith('arn:', 'expected a Secrets Manager ARN'),
  eventBusName: z.string().min(1),
  apiUrl: z.url(),
  auditRetentionDays: z.coerce.number().int().positive(),
  // The part of the token's rate limits one instance of this function may use (0 to 1].
  rateShare: z.coerce
    .number()
    .gt(0, 'expected a share greater than 0')
    .lte(1, 'expected a share of at most 1'),
} satisfies Record<EnvironmentKey, z.ZodType>;

export type LambdaEnvironment = { [K in EnvironmentKey]: z.infer<(typeof schemas)[K]> };

/**
 * Parses the variables a handler needs, once, at cold start. Every variable is required: a
 * deployment that forgot one fails on its first invocation with all the problems listed, rather
 * than running on a guessed default.
 */
export function parseLambdaEnvironment<K extends EnvironmentKey>(
  keys: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Pick<LambdaEnvironment, K> {
  const problems: string[] = [];
  const parsed: Partial<LambdaEnvironment> = {};
  for (const key of keys) {
    const name = ENVIRONMENT_VARIABLES[key];
    const raw = env[name];
    const result = schemas[key].safeParse(raw);
    if (result.success) {
      (parsed as Record<string, unknown>)[key] = result.data;
    } else {
      const received = raw === undefined ? 'nothing' : JSON.stringify(raw);
      problems.push(`${name}: ${result.error.issues[0]?.message ?? 'invalid'}, got: ${received}`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigurationError(`the Lambda environment is incomplete:\n  ${problems.join('\n  ')}`);
  }
  return parsed as Pick<LambdaEnvironment, K>;
}

/**
 * The one optional variable: which teams' open items the reconciler follows, set on each
 * reconcile function of a deployment with a unit per team (`only:web-shop` for a team's unit,
 * `except:data,web-shop` for the default unit, as `formatTeamScope` writes them). Absent: every
 * item, as in a deployment of one unit.
 */
export const TEAM_SCOPE_VARIABLE = 'RECONCILE_TEAMS';

/**
 * Reads `TEAM_SCOPE_VARIABLE` once, at cold start: undefined when it is absent or empty, and a
 * malformed value refused naming the variable, rather than a reconciler that guesses whose items
 * are its own.
 */
export function parseTeamScopeVariable(env: NodeJS.ProcessEnv = process.env): TeamScope | undefined {
  const raw = env[TEAM_SCOPE_VARIABLE];
  if (raw === undefined || raw.trim() === '') return undefined;
  const scope = parseTeamScope(raw);
  if (scope === undefined) {
    throw new ConfigurationError(
      `the Lambda environment is incomplete:\n  ${TEAM_SCOPE_VARIABLE}: expected only:<team>[,<team>...] or except:<team>[,<team>...] with team names of lower-case letters, digits or "-", got: ${JSON.stringify(raw)}`,
    );
  }
  return scope;
}
