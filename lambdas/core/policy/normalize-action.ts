import { ACTION_CATALOG, ACTION_TYPES, isActionType, type ActionType } from '../actions/action-catalog';
import { dropletActionSchema } from '../actions/droplet-action';
import { fallbackSchema, timeoutMinutesSchema, type ShutdownFallback } from './action-options';
import { closestKey } from './closest-key';
import { readField, readMapping } from './mapping-fields';
import type { PolicyStep } from './policy';
import { underPath, type PathSegment, type PolicyFinding } from './policy-finding';
import { DEFAULT_SNAPSHOT_NAME_TEMPLATE, snapshotNameTemplateSchema } from './snapshot-name';
import { findingsFromZod } from './zod-findings';

/** The action as written in a policy file, split into DigitalOcean's request body and our own options: one step. */
export type NormalizedAction = PolicyStep;

/** Keys the policy file accepts inside `action:` beside DigitalOcean's parameters; stripped before sending. */
export const POLICY_ONLY_ACTION_KEYS = ['timeoutMinutes', 'fallback'] as const;

/** Better words than "a string" for DigitalOcean's parameters, by type and parameter. */
const PARAMETER_EXPECTATIONS: Partial<Record<ActionType, Record<string, string>>> = {
  resize: {
    size: 'a size slug such as s-2vcpu-2gb',
    disk: 'true or false (true grows the disk, which cannot be undone)',
  },
  restore: { image: "a backup image id of this droplet's own backups (a positive integer)" },
  rebuild: { image: 'an image id or slug such as ubuntu-24-04-x64' },
  rename: { name: 'a hostname: letters, digits, "." and "-"' },
  change_kernel: { kernel: 'a kernel id (a positive integer)' },
  enable_backups: { backup_policy: 'a backup policy such as { plan: weekly, weekday: SUN, hour: 4 }' },
  change_backup_policy: { backup_policy: 'a backup policy such as { plan: weekly, weekday: SUN, hour: 4 }' },
};

export const EXPECTED_ACTION =
  'an action such as { type: snapshot } or { type: shutdown, fallback: power_off }';

/**
 * Validates one action mapping (`action:`, an entry of `steps:`, `onFailure:`): the type,
 * DigitalOcean's parameters (through `dropletActionSchema`, so the rules are the catalog's), and
 * our options `timeoutMinutes`, `fallback` (shutdown only) and, for snapshots, `name` as a name
 * template.
 * @param expected what to say when it is missing or not a mapping.
 */
export function normalizeAction(
  value: unknown,
  path: readonly PathSegment[],
  findings: PolicyFinding[],
  expected = EXPECTED_ACTION,
): NormalizedAction | undefined {
  const raw = readMapping(value, path, 'any', expected, findings);
  if (!raw) return undefined;
  const type = raw.type;
  if (!isActionType(type)) {
    const suggestion = typeof type === 'string' ? closestKey(type, ACTION_TYPES) : undefined;
    // `{ typ: power_on }`: the type is there under a misspelt key.
    const misspelt =
      type === undefined ? Object.keys(raw).find((key) => closestKey(key, ['type'])) : undefined;
    findings.push({
      path: [...path, 'type'],
      expected: `an action type, one of ${ACTION_TYPES.join(', ')}`,
      received: type,
      missing: type === undefined,
      hint: suggestion
        ? `did you mean ${suggestion}?`
        : misspelt
          ? `did you mean type instead of ${misspelt}?`
          : undefined,
    });
    return undefined;
  }
  const before = findings.length;
  const timeoutMinutes =
    readField(
      raw,
      'timeoutMinutes',
      path,
      { schema: timeoutMinutesSchema, expected: 'a number of minutes' },
      findings,
    ) ?? ACTION_CATALOG[type].defaultTimeoutMinutes;
  let fallback: ShutdownFallback | undefined;
  if (type === 'shutdown') {
    fallback = readField(raw, 'fallback', path, { schema: fallbackSchema, expected: 'power_off' }, findings);
  } else if (Object.hasOwn(raw, 'fallback')) {
    findings.push({
      path: [...path, 'fallback'],
      atKey: true,
      expected: `no fallback: only shutdown takes one (power_off once its timeout passes); ${type} has none`,
      received: raw.fallback,
    });
  }
  let snapshotNameTemplate: string | undefined;
  if (type === 'snapshot') {
    snapshotNameTemplate =
      readField(
        raw,
        'name',
        path,
        { schema: snapshotNameTemplateSchema, expected: 'a snapshot name template' },
        findings,
      ) ?? DEFAULT_SNAPSHOT_NAME_TEMPLATE;
  }

  const body: Record<string, unknown> = { ...raw };
  for (const key of POLICY_ONLY_ACTION_KEYS) delete body[key];
  if (type === 'snapshot') delete body.name;
  const parsed = dropletActionSchema.safeParse(body);
  if (!parsed.success) {
    const known = [
      'type',
      ...Object.keys(ACTION_CATALOG[type].params.shape),
      'timeoutMinutes',
      ...(type === 'shutdown' ? ['fallback'] : []),
    ];
    const zodFindings = findingsFromZod(dropletActionSchema, parsed.error, body, {
      describe: (inner) =>
        inner.length === 1 ? PARAMETER_EXPECTATIONS[type]?.[String(inner[0])] : undefined,
      extraKeys: (inner) => (inner.length === 0 ? known : []),
    });
    findings.push(...underPath(path, zodFindings));
  }
  if (!parsed.success || findings.length > before) return undefined;
  return {
    action: parsed.data,
    timeoutMinutes,
    ...(fallback ? { fallback } : {}),
    ...(snapshotNameTemplate ? { snapshotNameTemplate } : {}),
  };
}
