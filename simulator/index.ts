export { startSimulator, type SimulatorHandle } from './simulator-server';
export type { SimulatorStateView, FaultsView, SimulatorSettings, SizeChange } from './simulator-core';
export type { ReservedIpSeed, VolumeSeed, FirewallSeed, ProjectSeed } from './account-seeds';
export type { SizeRecord } from './store';
export {
  generateToken,
  type SimulatorOptions,
  type FaultOptions,
  type RateLimitOptions,
  type DropletSeed,
  type ActionListOrder,
} from './options';
export type {
  DropletRecord,
  ActionRecord,
  SnapshotRecord,
  BackupRecord,
  ReservedIpRecord,
  VolumeRecord,
  FirewallRecord,
  ProjectRecord,
  ActionStatus,
  ActionOutcome,
  HistoryEvent,
} from './model';
export { SimulatorUsageError } from './simulator-error';
export { FIRST_DROPLET_ID } from './fleet';
export {
  createInProcessSimulator,
  IN_PROCESS_URL,
  type InProcessSimulator,
  type InProcessSimulatorOptions,
} from './in-process-simulator';
