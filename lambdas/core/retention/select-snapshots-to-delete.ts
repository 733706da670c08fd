import type { Snapshot } from '../ports/droplet-api';

export interface RetentionRule {
  /** Keep this many of the policy's own snapshots per droplet, newest first. */
  readonly keepLast?: number;
  /** Delete the policy's own snapshots older than this many days. */
  readonly maxAgeDays?: number;
}

export interface RetentionInput {
  /** Every snapshot of the droplet, in any order. */
  readonly snapshots: readonly Snapshot[];
  /** True only for names this policy made for this droplet; nothing else is ever touched. */
  readonly isOwn: (name: string) => boolean;
  /** The snapshot the completed action just made: it is never deleted. */
  readonly justMade: { readonly id?: number | string; readonly name: string };
  readonly rule: RetentionRule;
  readonly now: Date;
}

export interface SnapshotToDelete {
  readonly snapshot: Snapshot;
  readonly reason: 'keepLast' | 'maxAgeDays';
}

export type RetentionDecision =
  | { readonly kind: 'delete'; readonly snapshots: readonly SnapshotToDelete[] }
  /** Nothing is deleted, with the reason; e.g. the new snapshot is not listed yet. */
  | { readonly kind: 'hold'; readonly reason: string };

const DAY_MS = 86_400_000;

/**
 * Chooses which of a droplet's snapshots retention removes: only the policy's own, beyond
 * `keepLast` or older than `maxAgeDays`, and never the one just made. If the new snapshot is not
 * in the list, it holds everything: deleting old backups before the new one is visibly there
 * could leave a droplet with fewer snapshots than the user asked to keep.
 */
export function selectSnapshotsToDelete(input: RetentionInput): RetentionDecision {
  const own = input.snapshots.filter((snapshot) => input.isOwn(snapshot.name));
  const isJustMade = (snapshot: Snapshot) =>
    input.justMade.id !== undefined
      ? String(snapshot.id) === String(input.justMade.id)
      : snapshot.name === input.justMade.name;
  if (!own.some(isJustMade)) {
    return {
      kind: 'hold',
      reason: `expected the new snapshot '${input.justMade.name}' among the droplet's snapshots, got: not listed yet`,
    };
  }
  const newestFirst = [...own].sort(newestFirstOrder);
  const cutoff =
    input.rule.maxAgeDays === undefined ? undefined : input.now.getTime() - input.rule.maxAgeDays * DAY_MS;
  const doomed: SnapshotToDelete[] = [];
  newestFirst.forEach((snapshot, index) => {
    if (isJustMade(snapshot)) return;
    if (input.rule.keepLast !== undefined && index >= input.rule.keepLast) {
      doomed.push({ snapshot, reason: 'keepLast' });
    } else if (cutoff !== undefined && Date.parse(snapshot.createdAt) < cutoff) {
      doomed.push({ snapshot, reason: 'maxAgeDays' });
    }
  });
  return { kind: 'delete', snapshots: doomed };
}

/**
 * Newest first by `created_at`, which DigitalOcean gives to the second; snapshots made within one
 * second are told apart by id, which DigitalOcean hands out in increasing order.
 */
function newestFirstOrder(a: Snapshot, b: Snapshot): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime !== 0) return byTime;
  const [idA, idB] = [Number(a.id), Number(b.id)];
  return Number.isFinite(idA) && Number.isFinite(idB) ? idB - idA : String(b.id).localeCompare(String(a.id));
}
