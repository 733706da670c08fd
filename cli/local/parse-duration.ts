import { UsageError } from '../usage-error';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration flag such as `--timeout 10m`: a number with `ms`, `s`, `m` or `h`. A bare number is
 * refused rather than guessed at (seconds? minutes?).
 */
export function parseDuration(flag: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(raw.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new UsageError(flag, raw, 'a duration such as 90s, 10m or 1h');
  }
  return ms;
}
