import { ConfigurationError } from '../errors/configuration-error';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Real offsets lie within UTC-12 and UTC+14, so the instant of a wall-clock time lies within
// these bounds of the same digits read as UTC.
const EARLIEST = -14 * HOUR;
const LATEST = 12 * HOUR;
const PARTS = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

const clocks = new Map<string, ZoneClock>();

/** The clock of a zone, built once per zone: `Intl.DateTimeFormat` is costly to construct. */
export function zoneClock(timezone: string): ZoneClock {
  let clock = clocks.get(timezone);
  if (!clock) {
    clock = new ZoneClock(timezone);
    clocks.set(timezone, clock);
  }
  return clock;
}

/**
 * Converts between instants and wall-clock time in one IANA zone, using the runtime's time zone
 * database through `Intl`. Wall-clock times are represented as "wall milliseconds": the same
 * digits read as if they were UTC (`Date.UTC(y, m - 1, d, h, min)`), which makes calendar
 * arithmetic plain.
 */
export class ZoneClock {
  readonly timezone: string;
  readonly #format: Intl.DateTimeFormat;

  constructor(timezone: string) {
    try {
      this.#format = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new ConfigurationError(
        `expected timezone to be an IANA time zone such as Europe/Berlin, got: '${timezone}'`,
      );
    }
    this.timezone = timezone;
  }

  /** The wall-clock time (as wall milliseconds) at an instant, to the second. */
  wallAt(instantMs: number): number {
    // format() plus a regex is about four times faster than formatToParts().
    const match = PARTS.exec(this.#format.format(instantMs));
    if (!match) throw new Error(`unexpected Intl output for ${this.timezone}`);
    const [, month, day, year, hour, minute, second] = match.map(Number) as number[];
    return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  }

  /** The zone's offset from UTC at an instant, in milliseconds (east positive). */
  offsetAt(instantMs: number): number {
    const whole = Math.floor(instantMs / 1000) * 1000;
    return this.wallAt(whole) - whole;
  }

  /**
   * The first instant whose wall-clock time is `wallMs`, or undefined when that wall-clock time
   * does not exist (it falls in a spring-forward gap). Of a time that happens twice (fall back),
   * the first is returned: the earlier instant.
   */
  firstInstantOf(wallMs: number): number | undefined {
    let first: number | undefined;
    for (const offset of this.#offsetsAround(wallMs)) {
      const instant = wallMs - offset;
      if (this.offsetAt(instant) === offset && (first === undefined || instant < first)) first = instant;
    }
    return first;
  }

  /**
   * A converter for the wall-clock times of one local day (`dayWallMs` is its midnight). When the
   * offset is the same on both sides of the day, each time converts by subtraction; otherwise
   * each goes through {@link firstInstantOf}.
   */
  dayConverter(dayWallMs: number): (wallMs: number) => number | undefined {
    const before = this.offsetAt(dayWallMs + EARLIEST);
    const middle = this.offsetAt(dayWallMs + 12 * HOUR);
    const after = this.offsetAt(dayWallMs + 24 * HOUR + LATEST);
    if (before === middle && middle === after) return (wallMs) => wallMs - before;
    return (wallMs) => this.firstInstantOf(wallMs);
  }

  #offsetsAround(wallMs: number): Set<number> {
    return new Set([this.offsetAt(wallMs + EARLIEST), this.offsetAt(wallMs), this.offsetAt(wallMs + LATEST)]);
  }
}
