import { ConfigurationError } from '../lambdas/core/errors/configuration-error';
import { DEFAULT_TEAM, teamNameSchema } from '../lambdas/core/policy/team-name';
import type { DropletSchedulerStackTeam } from './droplet-scheduler-stack';
import { INITIATE_CONCURRENCY_RANGE, isInitiateConcurrency } from './validate-teams';

/** The app's context key for teams with a token of their own (`cdk deploy -c teams='{...}'`). */
export const TEAMS_CONTEXT = 'teams';

const EXAMPLE = '{"web-shop":{"tokenSecretName":"droplet-scheduler/web-shop-token","initiateConcurrency":2}}';

/** What Secrets Manager accepts as a secret name. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

const FIELDS: readonly string[] = ['tokenSecretName', 'initiateConcurrency'];

/**
 * Reads the `teams` context key: JSON from the command line, or an object from cdk.json, of teams
 * by name, each `{ tokenSecretName, initiateConcurrency? }`. Undefined when the key is not set; a
 * malformed value is refused naming the key (and the team and field), the value and what was
 * expected. Whether a policy names each team is the construct's check, at synth.
 * @throws {ConfigurationError}
 */
export function teamsFromContext(
  read: (key: string) => unknown,
): Record<string, DropletSchedulerStackTeam> | undefined {
  const raw = read(TEAMS_CONTEXT);
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  const refuse = (where: string, expected: string, got: unknown): never => {
    const shown = typeof got === 'string' ? `'${got}'` : JSON.stringify(got);
    throw new ConfigurationError(`-c ${TEAMS_CONTEXT}: ${where}expected ${expected}, got: ${shown}`);
  };
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      refuse('', `JSON of teams by name, such as ${EXAMPLE}`, raw);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse('', `an object of teams by name, such as ${EXAMPLE}`, value);
  }
  const teams: Record<string, DropletSchedulerStackTeam> = {};
  for (const [team, settings] of Object.entries(value)) {
    if (!teamNameSchema.safeParse(team).success || team === DEFAULT_TEAM) {
      refuse(
        '',
        `each key to be a team name of 1 to 32 lower-case letters, digits or "-" (not "${DEFAULT_TEAM}", the top-level token's)`,
        team,
      );
    }
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      return refuse(
        `${team}: `,
        'an object with tokenSecretName and optionally initiateConcurrency',
        settings,
      );
    }
    const fields = settings as Record<string, unknown>;
    const unknown = Object.keys(fields).find((field) => !FIELDS.includes(field));
    if (unknown !== undefined) {
      refuse(`${team}.${unknown}: `, `only the fields ${FIELDS.join(' and ')}`, unknown);
    }
    const { tokenSecretName, initiateConcurrency } = fields;
    if (typeof tokenSecretName !== 'string' || !SECRET_NAME.test(tokenSecretName)) {
      refuse(
        `${team}.tokenSecretName: `,
        'the name of a Secrets Manager secret (letters, digits and /_+=.@-)',
        tokenSecretName,
      );
    }
    if (initiateConcurrency !== undefined && !isInitiateConcurrency(initiateConcurrency)) {
      refuse(`${team}.initiateConcurrency: `, INITIATE_CONCURRENCY_RANGE, initiateConcurrency);
    }
    teams[team] = {
      tokenSecretName: tokenSecretName as string,
      ...(initiateConcurrency !== undefined ? { initiateConcurrency: initiateConcurrency as number } : {}),
    };
  }
  return Object.keys(teams).length > 0 ? teams : undefined;
}
