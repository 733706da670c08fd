import type { ActionRecord, DropletRecord } from '../model';
import type { SimulatorStore } from '../store';

/** An action on a reserved IP or a volume, as the engine records it. */
export type ResourceAction =
  | { readonly type: 'assign_ip' | 'unassign_ip'; readonly ip: string }
  | { readonly type: 'attach_volume' | 'detach_volume'; readonly volume_id: string };

/**
 * What a settled reserved-IP or volume action does. The resource is free again either way; only a
 * completed action moves it, and only if its droplet still exists (else the action errors).
 */
export function applyResourceEffect(
  store: SimulatorStore,
  action: ActionRecord,
  droplet: DropletRecord | undefined,
): void {
  const params = action.params as { ip?: string; volume_id?: string };
  const ip = params.ip === undefined ? undefined : store.reservedIps.get(params.ip);
  const volume = params.volume_id === undefined ? undefined : store.volumes.get(params.volume_id);
  if (ip) ip.locked = false;
  if (volume) volume.locked = false;
  if (action.status !== 'completed') return;
  if (!droplet && action.type !== 'unassign_ip' && action.type !== 'detach_volume') {
    action.status = 'errored';
    return;
  }
  switch (action.type) {
    case 'assign_ip':
      if (ip) ip.dropletId = droplet!.id;
      return;
    case 'unassign_ip':
      if (ip) ip.dropletId = null;
      return;
    case 'attach_volume':
      if (!volume) return;
      volume.dropletIds = [droplet!.id];
      if (!droplet!.volumeIds.includes(volume.id)) droplet!.volumeIds.push(volume.id);
      return;
    case 'detach_volume':
      if (!volume) return;
      volume.dropletIds = volume.dropletIds.filter((id) => id !== action.dropletId);
      if (droplet) droplet.volumeIds = droplet.volumeIds.filter((id) => id !== volume.id);
      return;
  }
}
