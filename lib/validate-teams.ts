import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationError } from '../lambdas/core/errors/configuration-error';
import type { Policy } from '../lambdas/core/policy/policy';
import { DEFAULT_TEAM, teamNameSchema } from '../lambdas/core/policy/team-name';
import { DEFAULT_INITIATE_CONCURRENCY, type DropletSchedulerTeam } from './droplet-scheduler-props';

/** A team of `teams`, checked, with its defaults filled in. */
export interface ValidTeam {
  readonly team: string;
  readonly tokenSecret: secretsmanager.ISecret;
  readonly initiateConcurrency: number;
}

const TEAM_NAME_RULE = '1 to 32 lower-case letters, digits or "-", not starting or ending with "-"';

/**
 * Checks the `teams` prop against the policies: each key a team name by the policies' own rule,
 * none the default team (that is the top-level token's), each named by at least one policy (a
 * secret granted to a unit nothing dispatches to is a mistake), each with a secret and a valid
 * concurrency. The first problem is refused naming the key, the value and what was expected.
 * @throws {ConfigurationError}
 */
export function validateTeams(
  teams: Readonly<Record<string, DropletSchedulerTeam>> | undefined,
  policies: readonly Policy[],
): ValidTeam[] {
  if (teams === undefined) return [];
  if (typeof teams !== 'object' || teams === null || Array.isArray(teams)) {
    throw new ConfigurationError(
      `teams: expected an object of teams by name ({ 'web-shop': { tokenSecret } }), got: ${JSON.stringify(teams)}`,
    );
  }
  const named = new Set(policies.flatMap((policy) => (policy.team === undefined ? [] : [policy.team])));
  return Object.entries(teams).map(([team, settings]) => {
    if (!teamNameSchema.safeParse(team).success) {
      throw new ConfigurationError(
        `teams: expected each key to be a team name (${TEAM_NAME_RULE}), got: ${JSON.stringify(team)}`,
      );
    }
    if (team === DEFAULT_TEAM) {
      throw new ConfigurationError(
        `teams: expected team names other than "${DEFAULT_TEAM}", the team of policies that name none, which uses tokenSecret and initiateConcurrency, got: "${DEFAULT_TEAM}"`,
      );
    }
    if (!named.has(team)) {
      const names = named.size === 0 ? 'none' : [...named].sort().join(', ');
      throw new ConfigurationError(
        `teams: expected each team to be the team of at least one policy (the policies name: ${names}), got: ${JSON.stringify(team)}`,
      );
    }
    const secret = (settings as Partial<DropletSchedulerTeam> | undefined)?.tokenSecret;
    if (typeof secret !== 'object' || secret === null || typeof secret.secretArn !== 'string') {
      throw new ConfigurationError(
        `teams.${team}.tokenSecret: expected a Secrets Manager secret (secretsmanager.ISecret), got: ${String(secret)}`,
      );
    }
    return {
      team,
      tokenSecret: secret,
      initiateConcurrency: checkInitiateConcurrency(
        settings.initiateConcurrency ?? DEFAULT_INITIATE_CONCURRENCY,
        `teams.${team}.initiateConcurrency`,
      ),
    };
  });
}

/** What an initiate concurrency may be, in the words of every message that refuses one. */
export const INITIATE_CONCURRENCY_RANGE = 'a whole number from 2 to 1000';

/** Whether `value` is an initiate concurrency: an SQS event source needs at least 2. */
export function isInitiateConcurrency(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 2 && value <= 1000;
}

/** @throws {ConfigurationError} naming `field` when `value` is not a whole number from 2 to 1000 */
export function checkInitiateConcurrency(value: number, field = 'initiateConcurrency'): number {
  if (!isInitiateConcurrency(value)) {
    throw new ConfigurationError(
      `${field}: expected ${INITIATE_CONCURRENCY_RANGE} (an SQS event source needs at least 2), got: ${value}`,
    );
  }
  return value;
}
