import { isActionType, type ActionType } from '../actions/action-catalog';
import { asMapping } from './mapping-fields';
import { EXPECTED_ACTION, normalizeAction, type NormalizedAction } from './normalize-action';
import type { PolicyStep } from './policy';
import type { PathSegment, PolicyFinding } from './policy-finding';

/** A `steps:` list has at least this many entries: one step is `action:`. */
export const MIN_STEPS = 2;
/**
 * A `steps:` list has at most this many entries. Each step is a ledger item and a DigitalOcean
 * action per droplet; a longer chain is a deployment script, not a schedule.
 */
export const MAX_STEPS = 10;

/** What a policy does to each droplet: its first step, the steps after it, and the step run on failure. */
export interface NormalizedWorkflow extends NormalizedAction {
  readonly steps?: readonly PolicyStep[];
  readonly onFailure?: PolicyStep;
}

const EXAMPLE_STEPS = '[{ type: shutdown, fallback: power_off }, { type: snapshot }, { type: power_on }]';

/**
 * Validates what a policy with a `schedule` does: `action:` or `steps:` (never both), and an
 * optional `onFailure:`. `steps[0]` becomes the workflow's first step, as `action:` would, so
 * that everything that reads `policy.action` keeps working; the rest become `steps`.
 * Returns undefined when anything is wrong (having reported all of it).
 */
export function normalizeWorkflow(
  raw: Record<string, unknown>,
  path: readonly PathSegment[],
  findings: PolicyFinding[],
): NormalizedWorkflow | undefined {
  const before = findings.length;
  const written = Object.hasOwn(raw, 'steps');
  if (written && Object.hasOwn(raw, 'action')) {
    findings.push({
      path: [...path, 'steps'],
      atKey: true,
      expected: 'either action or steps, not both (the first of the steps is the action)',
      received: raw.steps,
    });
  }
  const steps = written
    ? normalizeSteps(raw.steps, [...path, 'steps'], findings)
    : [
        normalizeAction(
          raw.action,
          [...path, 'action'],
          findings,
          `${EXPECTED_ACTION}, or steps: a list of actions`,
        ),
      ];
  const onFailure = Object.hasOwn(raw, 'onFailure')
    ? normalizeAction(raw.onFailure, [...path, 'onFailure'], findings)
    : undefined;
  refuseSecondSnapshot(raw, path, findings);
  const [first, ...rest] = steps ?? [];
  if (findings.length > before || first === undefined || rest.some((step) => step === undefined))
    return undefined;
  return {
    ...first,
    ...(rest.length > 0 ? { steps: rest as PolicyStep[] } : {}),
    ...(onFailure ? { onFailure } : {}),
  };
}

/**
 * The action types a policy's steps are written with (not `onFailure`), as far as they can be
 * read even when the rest is wrong, so that the rules that depend on them are checked too.
 * Undefined when any of them cannot be read (that is reported on its own).
 */
export function writtenStepTypes(raw: Record<string, unknown>): ActionType[] | undefined {
  const entries = Object.hasOwn(raw, 'steps') ? raw.steps : [raw.action];
  if (!Array.isArray(entries)) return undefined;
  const types = entries.map((entry) => asMapping(entry)?.type);
  return types.every(isActionType) ? types : undefined;
}

function normalizeSteps(
  value: unknown,
  path: readonly PathSegment[],
  findings: PolicyFinding[],
): (NormalizedAction | undefined)[] | undefined {
  if (!Array.isArray(value)) {
    findings.push({
      path,
      expected: `a list of ${MIN_STEPS} to ${MAX_STEPS} actions, such as ${EXAMPLE_STEPS}`,
      received: value,
    });
    return undefined;
  }
  if (value.length < MIN_STEPS || value.length > MAX_STEPS) {
    findings.push({
      path,
      expected:
        value.length < MIN_STEPS
          ? `at least ${MIN_STEPS} steps (a single one is written as action: { … })`
          : `at most ${MAX_STEPS} steps`,
      received: value,
    });
  }
  return value.map((entry, index) => normalizeAction(entry, [...path, index], findings));
}

/**
 * At most one snapshot per workflow, `onFailure` included: every snapshot of a policy carries its
 * `{policy}--{dropletId}-` prefix and the tick's time, so two in one tick would share a name, and
 * retention would count them as two of the policy's days.
 */
function refuseSecondSnapshot(
  raw: Record<string, unknown>,
  path: readonly PathSegment[],
  findings: PolicyFinding[],
): void {
  const places: [PathSegment[], unknown][] = Array.isArray(raw.steps)
    ? raw.steps.map((entry, index) => [[...path, 'steps', index], entry])
    : [[[...path, 'action'], raw.action]];
  places.push([[...path, 'onFailure'], raw.onFailure]);
  const snapshots = places.filter(([, entry]) => asMapping(entry)?.type === 'snapshot');
  for (const [where] of snapshots.slice(1)) {
    findings.push({
      path: [...where, 'type'],
      expected:
        'at most one snapshot in a policy (steps and onFailure together): snapshots of one tick would share its name and its retention',
      received: 'snapshot',
    });
  }
}
