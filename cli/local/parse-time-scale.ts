import { UsageError } from '../usage-error';

/**
 * `--time-scale N`: DigitalOcean's side runs N times faster than real time (the simulator's own
 * `--time-scale`), so check delays, retries and timeouts shrink by N. 1 against the real API.
 */
export function parseTimeScale(raw: string | undefined, fallback = 1): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 100_000) {
    throw new UsageError('--time-scale', raw, 'a number greater than 0 (and at most 100000)');
  }
  return value;
}
