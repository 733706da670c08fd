import { renderDroplet } from '../http/render';
import type { DropletRecord } from '../model';
import type { SimulatorStore } from '../store';

/** A droplet with its size as the account offers it now (prices, regions, availability). */
export function renderDropletIn(store: SimulatorStore, droplet: DropletRecord, now: number) {
  return renderDroplet(droplet, now, store.sizes.get(droplet.sizeSlug));
}
