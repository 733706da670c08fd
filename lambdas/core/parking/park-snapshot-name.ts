/**
 * The name of a park snapshot: `<park policy>--park--<droplet id>-<UTC yyyymmdd-hhmm>`. The
 * `--park--` infix keeps it apart from a snapshot policy's own (`<policy>--<droplet>-…`), so
 * retention never deletes a park snapshot, and the droplet id is the one parked.
 */
export function parkSnapshotName(parkPolicy: string, dropletId: number, scheduledTime: string): string {
  const iso = new Date(scheduledTime).toISOString();
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
  return `${parkPolicy}--park--${dropletId}-${stamp}`;
}
