import type { TeamScope } from '../ledger/team-scope';
import type { ActionLedger } from '../ports/audit-queries';
import type { DropletApi } from '../ports/droplet-api';
import type { EventPublisher } from '../ports/event-publisher';
import type { WorkQueue } from '../ports/work-queue';
import type { Timing } from '../state/timing';
import type { InitiateWorkItem } from './initiate-work-item';

/** The ports the use cases talk through; the same for every use case, so that one runtime builds them once. */
export interface UseCaseDependencies {
  readonly api: DropletApi;
  readonly ledger: ActionLedger;
  readonly queue: WorkQueue<InitiateWorkItem>;
  readonly events: EventPublisher;
  /** The clock; injectable so that tests and time-scaled runs control it. */
  readonly now: () => Date;
  /** Every duration the protocol rests on, validated (see `Timing`), with the time scale of DigitalOcean's side. */
  readonly timing: Timing;
  /**
   * The teams whose open items this runtime's reconciler follows: in a deployment with a unit per
   * team, each unit's reconciler takes its own team's items only, with its own token.
   * @default every item
   */
  readonly teamScope?: TeamScope;
}
