import { catalogEntry, type ActionType } from '../actions/action-catalog';

/**
 * DigitalOcean documents snapshots at about 1 to 3 minutes per GB of used disk. The droplet's
 * used disk is not in the API, only its disk size, so the first look is planned at the fast end
 * for a disk that is partly used; later looks back off (see `nextCheckAt`).
 */
const SNAPSHOT_FIRST_LOOK_MINUTES_PER_DISK_GB = 0.4;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** When to look at an action the first time, counted from its start. */
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

export interface NextCheckInput {
  readonly type: ActionType;
  readonly diskGb?: number;
  /** DigitalOcean's `started_at`. */
  readonly startedAt: string;
  readonly now: Date;
}

/**
 * When to look again at an action still in progress. Quick types are looked at on every
 * reconcile; slow ones after a tenth of the time they have already taken (at least a minute),
 * so that an action is seen finished within about 10% of its duration while a long snapshot costs
 * a few dozen looks in all, shared with every other action on the same page of `GET /v2/actions`.
 */
export function nextCheckAt(input: NextCheckInput): string {
  const elapsed = Math.max(0, input.now.getTime() - Date.parse(input.startedAt));
  const pace = catalogEntry(input.type).pace;
  const wait = pace === 'seconds' ? 15 * SECOND : Math.max(MINUTE, elapsed / 10);
  return new Date(input.now.getTime() + wait).toISOString();
}
