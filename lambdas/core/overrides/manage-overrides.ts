import { DropletSchedulerError } from '../errors/droplet-scheduler-error';
import { overrideItemId } from '../ledger/item-id';
import { formatOverrideId, type OverrideRecord } from '../ledger/override-record';
import type { AuditQueries } from '../ports/audit-queries';
import { commit, type CommitDependencies } from '../state/commit';
import type { NewOverride } from '../state/new-item';

/** Pages of one policy's overrides read at most by a listing; a person writes a handful. */
const MAX_PAGES = 20;

/** What `snooze` asks for, every field already checked: the override as the state machine creates it. */
export type SnoozeRequest = Omit<NewOverride, 'kind'>;

export type OverrideDependencies = CommitDependencies & { readonly ledger: AuditQueries };

/** Writes a snooze through the state machine. A key already taken (a one-in-a-billion clash) is an error to retry. */
export async function createOverride(
  deps: OverrideDependencies,
  request: SnoozeRequest,
): Promise<OverrideRecord> {
  const written = await commit(
    deps,
    overrideItemId(request.policy, request.until, request.key),
    { type: 'snooze', init: { kind: 'override', ...request } },
    null,
  );
  if (!written.ok)
    throw new DropletSchedulerError(
      'override_exists',
      `override ${formatOverrideId(request)}: expected a new key, found one already written; run snooze again`,
    );
  return written.item;
}

/** A policy's overrides, oldest `until` first; only those still in force at `now` unless `all`. */
export async function listOverrides(
  ledger: AuditQueries,
  policy: string,
  options: { readonly now: Date; readonly all?: boolean },
): Promise<OverrideRecord[]> {
  const found: OverrideRecord[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const next = await ledger.queryOverrides(policy, {
      expiringAfter: options.all ? undefined : options.now.toISOString(),
      cursor,
    });
    found.push(...next.items);
    cursor = next.cursor;
    if (cursor === undefined) break;
  }
  return options.all ? found : found.filter((override) => inForce(override, options.now));
}

export type CancelOutcome =
  | { readonly kind: 'cancelled'; readonly override: OverrideRecord }
  /** It exists, but cancelling changes nothing: it ended by itself, or was cancelled before. */
  | { readonly kind: 'already-over'; readonly override: OverrideRecord; readonly why: string }
  | { readonly kind: 'not-found' };

/** Ends an override before its time (`snooze --cancel weekend-off:k3x9q2`). */
export async function cancelOverride(
  deps: OverrideDependencies,
  policy: string,
  key: string,
): Promise<CancelOutcome> {
  const override = (await listOverrides(deps.ledger, policy, { now: deps.now(), all: true })).find(
    (candidate) => candidate.key === key,
  );
  if (override === undefined) return { kind: 'not-found' };
  if (override.status === 'cancelled')
    return {
      kind: 'already-over',
      override,
      why: `cancelled at ${override.cancelledAt ?? override.updatedAt}`,
    };
  const cancelled = await commit(
    deps,
    overrideItemId(policy, override.until, key),
    { type: 'cancel' },
    override,
  );
  if (cancelled.ok) return { kind: 'cancelled', override: cancelled.item };
  const current = cancelled.current ?? override;
  return {
    kind: 'already-over',
    override: current,
    why:
      current.status === 'cancelled'
        ? `cancelled at ${current.cancelledAt ?? current.updatedAt}`
        : `it expired at ${current.until}`,
  };
}

/** Whether the override still applies to ticks from `now` on. */
export function inForce(override: OverrideRecord, now: Date): boolean {
  return override.status === 'active' && Date.parse(override.until) > now.getTime();
}
