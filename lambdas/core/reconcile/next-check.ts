import { catalogEntry, type ActionType } from '../actions/action-catalog';

/**
 * DigitalOcean documents snapshots at about 1 to 3 minutes per GB of used disk. The droplet's
 * used disk is not in the API, only its disk size, so the first look is planned at the fast end
 * for a disk that is partly used; later looks back off (see `checkWaitMs`).
 */
const SNAPSHOT_FIRST_LOOK_MINUTES_PER_DISK_GB = 0.4;

/**
 * After the first look, a slow action is looked at again once it has run this much longer
 * (as a fraction of the time it has taken so far). Rounding to a shared slot (`alignToSlot`) can
 * double the wait, so an action is seen finished within about twice this fraction of its
 * duration: the goal is 10% at p95. A look costs a share of a page read (200 statuses), so a
 * snapshot of hours costs a fraction of a request in all.
 */
const BACKOFF_FRACTION = 0.05;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** When to look at an action the first time, counted from its start, in DigitalOcean's time. */
export function firstCheckDelayMs(type: ActionType, diskGb: number | undefined): number {
  switch (catalogEntry(type).pace) {
    case 'seconds':
      return 10 * SECOND;
    case 'minutes':
      return 2 * MINUTE;
    case 'disk':
      return Math.max(MINUTE, (diskGb ?? 25) * SNAPSHOT_FIRST_LOOK_MINUTES_PER_DISK_GB * MINUTE);
  }
}

/**
 * How long to wait before looking again at an action still in progress, in DigitalOcean's time.
 * Quick types are looked at on every reconcile pass; slow ones after a twentieth of their elapsed
 * time, at least a minute.
 */
export function checkWaitMs(type: ActionType, elapsedMs: number): number {
  return catalogEntry(type).pace === 'seconds' ? 15 * SECOND : Math.max(MINUTE, elapsedMs * BACKOFF_FRACTION);
}

/**
 * Rounds a planned look up to a slot boundary: slots are `unitMs` times the largest power of two
 * no longer than the wait, counted from the epoch. Actions that started around the same time then
 * fall due together, so one read of `GET /v2/actions` serves all of them instead of one read
 * each, and no look comes later than twice its wait.
 */
export function alignToSlot(atMs: number, waitMs: number, unitMs: number): number {
  const slot = unitMs * 2 ** Math.max(0, Math.floor(Math.log2(Math.max(waitMs, unitMs) / unitMs)));
  return Math.ceil(atMs / slot) * slot;
}
