import { NetworkError } from '../../../lambdas/core/errors/network-error';
import { NotFoundError } from '../../../lambdas/core/errors/not-found-error';
import { PendingEventError } from '../../../lambdas/core/errors/pending-event-error';
import { RateLimitedError } from '../../../lambdas/core/errors/rate-limited-error';
import type { DropletAction } from '../../../lambdas/core/actions/droplet-action';
import type {
  Action,
  BulkDropletAction,
  Droplet,
  DropletApi,
  InitiateOptions,
  ListOptions,
  RequestOptions,
  Snapshot,
} from '../../../lambdas/core/ports/droplet-api';
import type { Process, Scheduler, VirtualClock } from './scheduler';

/** One action DigitalOcean carried out, with who sent it, for the explorer's verdict. */
export interface ModelAction {
  readonly id: number;
  readonly type: string;
  readonly dropletId: number;
  readonly startedAt: number;
  readonly durationMs: number;
  /** For a `shutdown`: the droplet keeps running (DigitalOcean only sends the signal). */
  readonly ineffective: boolean;
  /** The process whose request started it. */
  readonly sentBy: string;
}

export interface ModelOptions {
  /** How long an action runs. */
  readonly durationMs: number;
  /** How long a request aborted at its deadline may still travel (the `Timing`'s transit). */
  readonly transitMs: number;
  /** Chance that a `shutdown` leaves the droplet running. @default 0 */
  readonly ineffectiveShutdown?: number;
  /** The mutation that removes the abort deadline: every request arrives, however late. @default false */
  readonly ignoreDeadlines?: boolean;
}

const POWER_AFTER: Record<string, Droplet['status'] | undefined> = {
  power_off: 'off',
  shutdown: 'off',
  power_on: 'active',
  reboot: 'active',
  power_cycle: 'active',
};

/**
 * DigitalOcean as the explorer needs it, in memory and on the virtual clock: droplets with a power
 * state, actions that run for a while, one action at a time per droplet (422), lists newest first.
 * Every request of a process goes through the scheduler's gates, so that it can be delayed, fail
 * or be lost; a request arrives only if it arrives before its deadline plus the transit time, which
 * is the physical promise the `Timing` rests on.
 */
export class DigitalOceanModel {
  readonly actions: ModelAction[] = [];
  readonly droplets = new Map<
    number,
    { id: number; name: string; tags: string[]; initial: Droplet['status'] }
  >();
  #nextActionId = 2_100_000_001;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly clock: VirtualClock,
    private readonly options: ModelOptions,
  ) {}

  addDroplet(id: number, tags: string[] = [], status: Droplet['status'] = 'active'): void {
    this.droplets.set(id, { id, name: `droplet-${id}`, tags, initial: status });
  }

  /** A request made outside any process (the harness's own setup). */
  start(dropletId: number, type: string, sentBy = 'harness'): ModelAction {
    return this.#create(dropletId, type, sentBy);
  }

  statusOf(dropletId: number): Droplet['status'] {
    let status = this.droplets.get(dropletId)?.initial ?? 'active';
    for (const action of this.actions) {
      if (action.dropletId !== dropletId || this.clock.now < action.startedAt + action.durationMs) continue;
      const after = POWER_AFTER[action.type];
      if (after && !(action.type === 'shutdown' && action.ineffective)) status = after;
    }
    return status;
  }

  /**
   * The `DropletApi` one process sees: each of its requests is a gate of its own. Only what the
   * scenarios need is modelled; any other method fails loudly, naming itself.
   */
  apiFor(process: Process): DropletApi {
    const modelled = this.#modelled(process);
    return new Proxy(modelled as DropletApi, {
      get: (target, property) => {
        if (property in target) return target[property as keyof DropletApi];
        return () => {
          throw new Error(`the explorer's model of DigitalOcean does not serve ${String(property)}`);
        };
      },
    });
  }

  #modelled(process: Process): Partial<DropletApi> {
    const gate = <T>(label: string, kind: 'post' | 'do-read', run: () => T) =>
      this.scheduler.gate(process, label, kind, async () => run());
    return {
      initiate: async (
        dropletId: number,
        action: DropletAction,
        options?: InitiateOptions,
      ): Promise<Action> => {
        let deadline = options?.deadline;
        const fromClaim = await options?.beforeSend?.();
        if (typeof fromClaim === 'number') deadline = Math.min(deadline ?? Infinity, fromClaim);
        this.#refuseLate(deadline, `POST ${action.type} ${dropletId}`);
        return gate(`POST ${action.type} ${dropletId}`, 'post', () => {
          this.#arrive(deadline, `POST ${action.type} ${dropletId}`);
          const created = this.#create(dropletId, action.type, process.name);
          this.#answer(deadline, `POST ${action.type} ${dropletId}`);
          return this.#render(created);
        });
      },
      initiateByTag: async (
        tag: string,
        action: BulkDropletAction,
        options?: RequestOptions,
      ): Promise<Action[]> => {
        this.#refuseLate(options?.deadline, `POST ${action.type} tag ${tag}`);
        return gate(`POST ${action.type} tag ${tag}`, 'post', () => {
          this.#arrive(options?.deadline, `POST ${action.type} tag ${tag}`);
          const created = [...this.droplets.values()]
            .filter((droplet) => droplet.tags.includes(tag))
            .map((droplet) => this.#render(this.#create(droplet.id, action.type, process.name, false)));
          this.#answer(options?.deadline, `POST ${action.type} tag ${tag}`);
          return created;
        });
      },
      getAction: (actionId: number) =>
        gate(`GET action ${actionId}`, 'do-read', () => {
          const found = this.actions.find((action) => action.id === actionId);
          if (!found)
            throw new NotFoundError({
              status: 404,
              id: 'not_found',
              request: 'GET /v2/actions/{id}',
              message: 'The resource you were accessing could not be found.',
            });
          return this.#render(found);
        }),
      listActions: (options?: ListOptions) =>
        this.#pages(
          gate,
          'GET actions',
          () => this.actions.map((action) => this.#render(action)),
          options,
          200,
        ),
      listDropletActions: (dropletId: number, options?: ListOptions & RequestOptions) =>
        this.#pages(
          gate,
          `GET droplet ${dropletId} actions`,
          () =>
            this.actions
              .filter((action) => action.dropletId === dropletId)
              .map((action) => this.#render(action)),
          options,
          50,
        ),
      listDroplets: (filter?: { readonly tag?: string } & ListOptions) =>
        this.#pages(
          gate,
          'GET droplets',
          () =>
            [...this.droplets.values()]
              .filter((droplet) => filter?.tag === undefined || droplet.tags.includes(filter.tag))
              .map((droplet) => this.#droplet(droplet.id)),
          filter,
          200,
        ),
      getDroplet: (dropletId: number) =>
        gate(`GET droplet ${dropletId}`, 'do-read', () => this.#droplet(dropletId)),
      listDropletSnapshots: () => this.#pages(gate, 'GET snapshots', (): Snapshot[] => [], undefined, 200),
      deleteSnapshot: async () => undefined,
    };
  }

  /** The client never sends a request whose deadline has passed. */
  #refuseLate(deadline: number | undefined, request: string): void {
    if (this.options.ignoreDeadlines || deadline === undefined || this.clock.now < deadline) return;
    throw new RateLimitedError({
      status: 0,
      id: 'deadline_passed',
      request,
      message: 'not sent: its deadline passed',
    });
  }

  /** A request aborted at its deadline may still arrive within the transit time, never later. */
  #arrive(deadline: number | undefined, request: string): void {
    if (this.options.ignoreDeadlines || deadline === undefined) return;
    if (this.clock.now > deadline + this.options.transitMs) {
      throw new NetworkError({
        status: 0,
        request,
        message: 'aborted at its deadline',
        outcomeUnknown: true,
      });
    }
  }

  /** Carried out, but past the deadline the client had already aborted: it never sees the answer. */
  #answer(deadline: number | undefined, request: string): void {
    if (this.options.ignoreDeadlines || deadline === undefined || this.clock.now <= deadline) return;
    throw new NetworkError({ status: 0, request, message: 'aborted at its deadline', outcomeUnknown: true });
  }

  #create(dropletId: number, type: string, sentBy: string, busyCheck = true): ModelAction {
    if (!this.droplets.has(dropletId)) {
      throw new NotFoundError({
        status: 404,
        id: 'not_found',
        request: 'POST',
        message: 'The resource you were accessing could not be found.',
      });
    }
    const busy = this.actions.some(
      (action) => action.dropletId === dropletId && this.clock.now < action.startedAt + action.durationMs,
    );
    if (busyCheck && busy) {
      throw new PendingEventError({
        status: 422,
        id: 'unprocessable_entity',
        request: 'POST',
        message: 'Droplet already has a pending event.',
      });
    }
    const action: ModelAction = {
      id: this.#nextActionId++,
      type,
      dropletId,
      // DigitalOcean's started_at has whole seconds.
      startedAt: Math.floor(this.clock.now / 1000) * 1000,
      durationMs: this.options.durationMs,
      ineffective:
        type === 'shutdown' && (this.options.ineffectiveShutdown ?? 0) > 0 && this.actions.length % 2 === 0,
      sentBy,
    };
    this.actions.push(action);
    return action;
  }

  #render(action: ModelAction): Action {
    const done = this.clock.now >= action.startedAt + action.durationMs;
    return {
      id: action.id,
      type: action.type,
      status: done ? 'completed' : 'in-progress',
      startedAt: new Date(action.startedAt).toISOString(),
      completedAt: done ? new Date(action.startedAt + action.durationMs).toISOString() : null,
      resourceId: action.dropletId,
      resourceType: 'droplet',
      regionSlug: 'fra1',
    };
  }

  #droplet(dropletId: number): Droplet {
    const droplet = this.droplets.get(dropletId);
    if (!droplet)
      throw new NotFoundError({ status: 404, id: 'not_found', request: 'GET', message: 'not found' });
    const locked = this.actions.some(
      (action) => action.dropletId === dropletId && this.clock.now < action.startedAt + action.durationMs,
    );
    return {
      id: dropletId,
      name: droplet.name,
      status: this.statusOf(dropletId),
      locked,
      tags: droplet.tags,
      sizeSlug: 's-1vcpu-1gb',
      diskGb: 25,
      regionSlug: 'fra1',
      features: [],
      backupIds: [],
      snapshotIds: [],
      volumeIds: [],
    };
  }

  async *#pages<T>(
    gate: <R>(label: string, kind: 'post' | 'do-read', run: () => R) => Promise<R>,
    label: string,
    all: () => T[],
    options: ListOptions | undefined,
    defaultPerPage: number,
  ): AsyncGenerator<readonly T[]> {
    const perPage = options?.perPage ?? defaultPerPage;
    for (let page = options?.startPage ?? 1; page < 1_000; page += 1) {
      const items = await gate(`${label} page ${page}`, 'do-read', () =>
        [...all()].reverse().slice((page - 1) * perPage, page * perPage),
      );
      yield items;
      if (items.length < perPage) return;
    }
  }
}
