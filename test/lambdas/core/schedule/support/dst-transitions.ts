import { wallClockAt } from './reference-evaluator';

const MINUTE = 60_000;
const STEP = 6 * 60 * MINUTE;

function offsetAt(timezone: string, instantMs: number): number {
  const wall = wallClockAt(timezone, instantMs);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - instantMs;
}

/**
 * The instants (to the minute) at which a zone's offset changes between two instants, found by
 * sampling every six hours and bisecting each change. Property tests start near these.
 */
export function dstTransitions(timezone: string, fromMs: number, toMs: number): number[] {
  const transitions: number[] = [];
  const start = Math.floor(fromMs / MINUTE) * MINUTE;
  for (let t = start; t + STEP <= toMs; t += STEP) {
    if (offsetAt(timezone, t) === offsetAt(timezone, t + STEP)) continue;
    let low = t;
    let high = t + STEP;
    while (high - low > MINUTE) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
      if (offsetAt(timezone, middle) === offsetAt(timezone, low)) low = middle;
      else high = middle;
    }
    transitions.push(high);
  }
  return transitions;
}
