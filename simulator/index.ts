export { startSimulator, type SimulatorHandle } from './simulator-server';
export type { SimulatorStateView, FaultsView } from './simulator-core';
export {
  generateToken,
  type SimulatorOptions,
  type FaultOptions,
  type RateLimitOptions,
  type DropletSeed,
} from './options';
export type { DropletRecord, ActionRecord, SnapshotRecord, ActionStatus, ActionOutcome } from './model';
export { SimulatorUsageError } from './simulator-error';
export { FIRST_DROPLET_ID } from './fleet';
