import { DEFAULT_TEAM, teamNameSchema } from '../policy/team-name';
import { ledgerInputError } from './ledger-input-error';

/**
 * Which teams' ledger items a reader owns: a deployment with a unit per team gives each unit's
 * reconciler its own team (`only`), and the default unit every team without a unit (`except`),
 * so that together they cover every item exactly once. An item without a `team` is the default
 * team's (`DEFAULT_TEAM`).
 */
export type TeamScope = { readonly only: readonly string[] } | { readonly except: readonly string[] };

/** DynamoDB's `IN` takes at most 100 operands; a stack runs out of resources long before that many units. */
export const MAX_SCOPE_TEAMS = 100;

/** The scope's team names, checked: 1 to 100 valid names. */
export function scopeTeams(scope: TeamScope): readonly string[] {
  const teams = 'only' in scope ? scope.only : scope.except;
  const expected = `1 to ${MAX_SCOPE_TEAMS} team names (lower-case letters, digits, -)`;
  if (!Array.isArray(teams) || teams.length === 0 || teams.length > MAX_SCOPE_TEAMS) {
    throw ledgerInputError('teams', scope, expected);
  }
  for (const team of teams) {
    if (!teamNameSchema.safeParse(team).success) throw ledgerInputError('teams', scope, expected);
  }
  return teams;
}

/**
 * Whether an item of `team` (absent: the default team) is within `scope` (absent: every team);
 * the scope is checked once, here, not per item.
 */
export function teamScopeFilter(scope: TeamScope | undefined): (team: string | undefined) => boolean {
  if (scope === undefined) return () => true;
  const listed = new Set(scopeTeams(scope));
  const only = 'only' in scope;
  return (team) => listed.has(team ?? DEFAULT_TEAM) === only;
}

/** The scope as text (`only:web-shop`, `except:data,web-shop`): an environment value, a cursor's scope. */
export function formatTeamScope(scope: TeamScope | undefined): string {
  if (scope === undefined) return 'all';
  return `${'only' in scope ? 'only' : 'except'}:${[...scopeTeams(scope)].sort().join(',')}`;
}

/**
 * Reads `formatTeamScope`'s text back; undefined when it does not have that form (the caller
 * names the source in its message).
 */
export function parseTeamScope(text: string): TeamScope | undefined {
  const match = /^(only|except):(.+)$/.exec(text.trim());
  if (!match) return undefined;
  const teams = match[2]!.split(',').map((team) => team.trim());
  if (teams.length > MAX_SCOPE_TEAMS || teams.some((team) => !teamNameSchema.safeParse(team).success)) {
    return undefined;
  }
  return match[1] === 'only' ? { only: teams } : { except: teams };
}
