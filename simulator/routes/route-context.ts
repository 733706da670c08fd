import type { SimulatedClock } from '../clock';
import type { ActionEngine } from '../engine/action-engine';
import type { ActionListOrder } from '../options';
import type { SimulatorStore } from '../store';

/** What the `/v2` routes share; the store is replaced on reset, so it is read through a getter. */
export interface RouteContext {
  readonly store: () => SimulatorStore;
  readonly engine: () => ActionEngine;
  readonly clock: SimulatedClock;
  /** The order action lists are read in, changeable at run time. */
  readonly actionListOrder: () => ActionListOrder;
}
