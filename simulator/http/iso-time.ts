/** ISO 8601 without milliseconds, as DigitalOcean writes times. */
export function isoTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
