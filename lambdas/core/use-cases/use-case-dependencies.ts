import type { ActionLedger } from '../ports/action-ledger';
import type { DropletApi } from '../ports/droplet-api';
import type { EventPublisher } from '../ports/event-publisher';
import type { WorkQueue } from '../ports/work-queue';
import type { InitiateWorkItem } from './initiate-work-item';

/** The ports the use cases talk through; the same for every use case, so that one runtime builds them once. */
export interface UseCaseDependencies {
  readonly api: DropletApi;
  readonly ledger: ActionLedger;
  readonly queue: WorkQueue<InitiateWorkItem>;
  readonly events: EventPublisher;
  /** The clock; injectable so that tests and time-scaled runs control it. */
  readonly now: () => Date;
  /**
   * How many times faster than real time DigitalOcean's side runs: 1 in production, the
   * simulator's `--time-scale` locally. Every wait the use cases plan on DigitalOcean's behalf
   * (check delays, grace periods, timeouts) shrinks by it, so a time-scaled demo settles in seconds.
   * @default 1
   */
  readonly timeScale?: number;
}

/** A duration in DigitalOcean's time, as milliseconds of our clock. */
export function scaled(deps: Pick<UseCaseDependencies, 'timeScale'>, ms: number): number {
  return ms / (deps.timeScale ?? 1);
}

/** `from` plus a duration in DigitalOcean's time, as an ISO instant. */
export function later(
  deps: Pick<UseCaseDependencies, 'timeScale'>,
  from: Date | string | number,
  ms: number,
): string {
  return new Date(new Date(from).getTime() + scaled(deps, ms)).toISOString();
}
