/** One planned `kill -9`: when, and which scheduler slot. */
export interface PlannedKill {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly slot: number;
}

export interface KillScheduleOptions {
  readonly kills: number;
  readonly slots: number;
  /** Earliest kill (epoch ms). */
  readonly from: number;
  /** Latest kill (epoch ms). */
  readonly to: number;
  /** Tick times inside the window: the first kills land just after them, on a tick's work. */
  readonly boundaries: readonly number[];
  readonly random: () => number;
  /**
   * Least time between two kills, so that a restarted process gets to run before the next one.
   * @default 4000
   */
  readonly minGapMs?: number;
}

/** Kills at random points of the window, at least one just after each tick, on random slots. */
export function killSchedule(options: KillScheduleOptions): PlannedKill[] {
  const gap = options.minGapMs ?? 4_000;
  const times: number[] = [];
  const fits = (at: number) =>
    at >= options.from && at <= options.to && times.every((other) => Math.abs(other - at) >= gap);
  for (const boundary of options.boundaries) {
    if (times.length >= options.kills) break;
    // Within the first seconds of a tick: dispatch, claims and POSTs are under way.
    const at = boundary + 500 + Math.floor(options.random() * 5_000);
    if (fits(at)) times.push(at);
  }
  for (let attempt = 0; times.length < options.kills && attempt < 1_000; attempt += 1) {
    const at = options.from + Math.floor(options.random() * Math.max(0, options.to - options.from));
    if (fits(at)) times.push(at);
  }
  return times
    .sort((a, b) => a - b)
    .map((at) => ({ at, slot: Math.floor(options.random() * options.slots) }));
}

/** Wall-clock minute boundaries strictly after `from` and before `to`. */
export function minuteBoundariesBetween(from: number, to: number): number[] {
  const boundaries: number[] = [];
  for (let at = Math.floor(from / 60_000) * 60_000 + 60_000; at < to; at += 60_000) boundaries.push(at);
  return boundaries;
}
