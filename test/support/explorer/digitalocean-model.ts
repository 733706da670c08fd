import { NetworkError } from '../../../lambdas/core/errors/network-error';
import { NotFoundError } from '../../../lambdas/core/errors/not-found-error';
import { PendingEventError } from '../../../lambdas/core/errors/pending-event-error';
import { RateLimitedError } from '../../../lambdas/core/errors/rate-limited-error';
import { UnprocessableError } from '../../../lambdas/core/errors/unprocessable-error';
import type { DropletAction } from '../../../lambdas/core/actions/droplet-action';
import type {
  Action,
  BulkDropletAction,
  Droplet,
  DropletApi,
  InitiateOptions,
  ListOptions,
  NewDroplet,
  RequestOptions,
  Size,
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
  /** The process whose request started it (`digitalocean` for a droplet's own create action). */
  readonly sentBy: string;
  /** A snapshot action's image name. */
  readonly name?: string;
}

/** A droplet as the model keeps it: its power state follows from its actions (see `statusOf`). */
export interface ModelDroplet {
  readonly id: number;
  readonly name: string;
  readonly tags: string[];
  readonly initial: Droplet['status'];
  /** The image it was created from, for a droplet `POST /v2/droplets` made. */
  readonly imageId?: number;
}

/** A snapshot image: it exists once its snapshot action has completed, until someone deletes it. */
export interface ModelSnapshot {
  readonly id: number;
  readonly name: string;
  readonly dropletId: number;
  readonly sizeGigabytes: number;
  readonly createdAt: number;
}

/**
 * One request DigitalOcean received (or one change a person made in its console), in the order it
 * saw them, with what the verdicts need of the world at that moment. Requests that were never sent
 * (a deadline passed) or never arrived are not in it; one whose answer was lost is.
 */
export interface ModelRequest {
  readonly at: number;
  readonly process: string;
  /** `METHOD /path`, or `hand: …` for a person's change. */
  readonly request: string;
  /** What DigitalOcean answered, whether or not the answer reached the process. */
  readonly status: number;
  /** A `DELETE /v2/droplets/{id}` that destroyed a droplet: its power state then. */
  readonly dropletStatus?: Droplet['status'];
  /** A `DELETE /v2/droplets/{id}` that destroyed a droplet: the account's snapshots then. */
  readonly snapshots?: readonly ModelSnapshot[];
  /** A `POST /v2/droplets` that created a droplet: its id, name and image. */
  readonly created?: { readonly id: number; readonly name: string; readonly image: number };
  /** A `DELETE /v2/snapshots/{id}` that deleted one: the droplets made from it, and their status then. */
  readonly madeFromIt?: readonly { readonly id: number; readonly status: Droplet['status'] }[];
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
  /** How long a droplet made by `POST /v2/droplets` stays `new` (and locked). @default durationMs */
  readonly createMs?: number;
  /**
   * Chance that a `POST /v2/droplets` or a `DELETE` that reached the wire has its connection
   * dropped before DigitalOcean acted on it: the process hears of the loss (`outcomeUnknown`) at
   * once, and the request is carried out later, at a moment the scheduler picks within `transitMs`
   * of the loss, or never. The `Timing`'s transit bound, with the answer lost before the arrival.
   * @default 0
   */
  readonly inFlightLoss?: number;
  /** The mutation that removes the name lookup before a create: `GET /v2/droplets?name=` finds nothing. @default false */
  readonly blindNameFilter?: boolean;
  /**
   * The mutation that removes the destroy's fresh look at its snapshot: `GET /v2/snapshots/{id}`
   * answers a snapshot as it was when first listed, deleted since or not. @default false
   */
  readonly staleSnapshotReads?: boolean;
}

/** The one size and region of the model, as `GET /v2/sizes` lists it. */
const SIZE: Size = {
  slug: 's-1vcpu-1gb',
  priceMonthly: 6,
  priceHourly: 0.00893,
  regions: ['fra1'],
  available: true,
  diskGb: 25,
  memoryMb: 1024,
  vcpus: 1,
};

const POWER_AFTER: Record<string, Droplet['status'] | undefined> = {
  power_off: 'off',
  shutdown: 'off',
  power_on: 'active',
  reboot: 'active',
  power_cycle: 'active',
  // A droplet made by POST /v2/droplets is `new` until its create action completes.
  create: 'active',
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
  readonly droplets = new Map<number, ModelDroplet>();
  /** Snapshots that exist now (see `#settle`). */
  readonly snapshots = new Map<number, ModelSnapshot>();
  /** Everything DigitalOcean received, in order. */
  readonly history: ModelRequest[] = [];
  /** Every snapshot ever listed, deleted or not (for `staleSnapshotReads`). */
  readonly #everListed = new Map<number, ModelSnapshot>();
  readonly #settled = new Set<number>();
  #nextActionId = 2_100_000_001;
  #nextDropletId = 500_000_001;
  #nextSnapshotId = 300_000_001;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly clock: VirtualClock,
    private readonly options: ModelOptions,
  ) {}

  addDroplet(id: number, tags: string[] = [], status: Droplet['status'] = 'active'): void {
    this.droplets.set(id, { id, name: `droplet-${id}`, tags, initial: status });
  }

  /** A snapshot that exists from the start (a park's, its droplet destroyed since). */
  addSnapshot(snapshot: Omit<ModelSnapshot, 'id'>): ModelSnapshot {
    const added = { ...snapshot, id: this.#nextSnapshotId++ };
    this.snapshots.set(added.id, added);
    this.#everListed.set(added.id, added);
    return added;
  }

  /** A person deletes a snapshot in the console. */
  handDeletesSnapshot(snapshotId: number, by = 'hand'): void {
    this.#settle();
    if (!this.snapshots.delete(snapshotId)) return;
    this.history.push({
      at: this.clock.now,
      process: by,
      request: `hand: DELETE snapshot ${snapshotId}`,
      status: 204,
    });
  }

  /** A person powers a droplet on in the console. */
  handPowersOn(dropletId: number, by = 'hand'): void {
    if (!this.droplets.has(dropletId) || this.statusOf(dropletId) !== 'off' || this.#locked(dropletId))
      return;
    this.#create(dropletId, 'power_on', by);
    this.history.push({
      at: this.clock.now,
      process: by,
      request: `hand: power_on ${dropletId}`,
      status: 201,
    });
  }

  /** The snapshots that exist now, their actions settled. */
  snapshotsNow(): ModelSnapshot[] {
    this.#settle();
    return [...this.snapshots.values()];
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
          const name = action.type === 'snapshot' ? action.name : undefined;
          const created = this.#create(dropletId, action.type, process.name, true, name);
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
      listDroplets: (filter?: { readonly tag?: string; readonly name?: string } & ListOptions) =>
        this.#pages(
          gate,
          filter?.name === undefined ? 'GET droplets' : `GET droplets name=${filter.name}`,
          () =>
            [...this.droplets.values()]
              .filter((droplet) => filter?.tag === undefined || droplet.tags.includes(filter.tag))
              // DigitalOcean's `name` filter: exact matches, case-insensitive.
              .filter(
                (droplet) =>
                  filter?.name === undefined ||
                  (!this.options.blindNameFilter && droplet.name.toLowerCase() === filter.name.toLowerCase()),
              )
              .map((droplet) => this.#droplet(droplet.id)),
          filter,
          200,
        ),
      getDroplet: (dropletId: number, options?: RequestOptions) => {
        this.#refuseLate(options?.deadline, `GET droplet ${dropletId}`);
        return gate(`GET droplet ${dropletId}`, 'do-read', () => {
          this.#readInTime(options?.deadline, `GET droplet ${dropletId}`);
          return this.#served(process, `GET /v2/droplets/${dropletId}`, () => this.#droplet(dropletId));
        });
      },
      listDropletSnapshots: (dropletId: number, options?: ListOptions) =>
        this.#pages(
          gate,
          `GET droplet ${dropletId} snapshots`,
          (): Snapshot[] => {
            this.#droplet(dropletId);
            return this.snapshotsNow()
              .filter((snapshot) => snapshot.dropletId === dropletId)
              .map((snapshot) => this.#snapshot(snapshot));
          },
          options,
          200,
        ),
      getSnapshot: (snapshotId: number | string, options?: RequestOptions) => {
        const request = `GET /v2/snapshots/${snapshotId}`;
        this.#refuseLate(options?.deadline, request);
        return gate(request, 'do-read', () => {
          this.#readInTime(options?.deadline, request);
          return this.#served(process, request, () => {
            this.#settle();
            const id = Number(snapshotId);
            const found =
              this.snapshots.get(id) ??
              (this.options.staleSnapshotReads ? this.#everListed.get(id) : undefined);
            if (!found) throw notFound(request);
            return this.#snapshot(found);
          });
        });
      },
      deleteSnapshot: async (snapshotId: number | string, options?: RequestOptions) => {
        const request = `DELETE /v2/snapshots/${snapshotId}`;
        this.#refuseLate(options?.deadline, request);
        return gate(request, 'post', () => {
          this.#arrive(options?.deadline, request);
          this.#carryOut(process, request, () => this.#deleteSnapshot(process, Number(snapshotId), request));
          this.#answer(options?.deadline, request);
        });
      },
      createDroplet: async (spec: NewDroplet, options?: RequestOptions): Promise<Droplet> => {
        const request = 'POST /v2/droplets';
        this.#refuseLate(options?.deadline, request);
        return gate(request, 'post', () => {
          this.#arrive(options?.deadline, request);
          const created = this.#carryOut(process, request, () => this.#createDroplet(process, spec, request));
          this.#answer(options?.deadline, request);
          return created;
        });
      },
      deleteDroplet: async (dropletId: number, options?: RequestOptions) => {
        const request = `DELETE /v2/droplets/${dropletId}`;
        this.#refuseLate(options?.deadline, request);
        return gate(request, 'post', () => {
          this.#arrive(options?.deadline, request);
          this.#carryOut(process, request, () => this.#destroy(process, dropletId, request));
          this.#answer(options?.deadline, request);
        });
      },
      listSizes: (options?: ListOptions) => this.#pages(gate, 'GET sizes', () => [SIZE], options, 200),
      // The scenarios' droplets have no reserved IP, firewall by id or project of their own.
      listReservedIps: (options?: ListOptions) =>
        this.#pages(gate, 'GET reserved_ips', () => [], options, 200),
      listFirewalls: (options?: ListOptions) => this.#pages(gate, 'GET firewalls', () => [], options, 200),
      listProjects: (options?: ListOptions) => this.#pages(gate, 'GET projects', () => [], options, 200),
    };
  }

  /**
   * A request that reached the wire: carried out now, or (`inFlightLoss`) its connection dropped
   * first: the process hears `outcomeUnknown` now, and the request lands at a later step the
   * scheduler picks, if that comes within `transitMs` of the loss, or never.
   */
  #carryOut<T>(process: Process, request: string, work: () => T): T {
    const chance = this.options.inFlightLoss ?? 0;
    if (chance > 0 && this.scheduler.random.chance(chance)) {
      const lostAt = this.clock.now;
      const courier: Process = { name: `${process.name}'s ${request}`, dead: false };
      void this.scheduler
        .gate(courier, `${request} lands`, 'arrival', async () => {
          if (this.clock.now <= lostAt + this.options.transitMs) work();
        })
        .catch(() => undefined);
      throw new NetworkError({
        status: 0,
        request,
        message: 'connection dropped after the request was sent',
        outcomeUnknown: true,
      });
    }
    return work();
  }

  /** Records what DigitalOcean answered a read (or refused with). */
  #served<T>(process: Process, request: string, run: () => T): T {
    try {
      const answer = run();
      this.history.push({ at: this.clock.now, process: process.name, request, status: 200 });
      return answer;
    } catch (error) {
      const status = error instanceof NotFoundError ? 404 : 422;
      this.history.push({ at: this.clock.now, process: process.name, request, status });
      throw error;
    }
  }

  #createDroplet(process: Process, spec: NewDroplet, request: string): Droplet {
    this.#settle();
    const image = Number(spec.image);
    if (!this.snapshots.has(image) || spec.region !== 'fra1' || spec.size !== SIZE.slug) {
      this.history.push({ at: this.clock.now, process: process.name, request, status: 422 });
      throw new UnprocessableError({
        status: 422,
        id: 'unprocessable_entity',
        request,
        message: 'You specified an invalid image for Droplet creation.',
      });
    }
    const id = this.#nextDropletId++;
    this.droplets.set(id, {
      id,
      name: spec.name,
      tags: [...(spec.tags ?? [])],
      initial: 'new',
      imageId: image,
    });
    this.actions.push({
      id: this.#nextActionId++,
      type: 'create',
      dropletId: id,
      startedAt: Math.floor(this.clock.now / 1000) * 1000,
      durationMs: this.options.createMs ?? this.options.durationMs,
      ineffective: false,
      sentBy: 'digitalocean',
    });
    this.history.push({
      at: this.clock.now,
      process: process.name,
      request,
      status: 202,
      created: { id, name: spec.name, image },
    });
    return this.#droplet(id);
  }

  #destroy(process: Process, dropletId: number, request: string): void {
    this.#settle();
    const at = this.clock.now;
    if (!this.droplets.has(dropletId)) {
      this.history.push({ at, process: process.name, request, status: 404 });
      throw notFound(request);
    }
    if (this.#locked(dropletId)) {
      this.history.push({ at, process: process.name, request, status: 422 });
      throw new PendingEventError({
        status: 422,
        id: 'unprocessable_entity',
        request,
        message: 'Droplet already has a pending event.',
      });
    }
    this.history.push({
      at,
      process: process.name,
      request,
      status: 204,
      dropletStatus: this.statusOf(dropletId),
      snapshots: [...this.snapshots.values()],
    });
    this.droplets.delete(dropletId);
  }

  #deleteSnapshot(process: Process, snapshotId: number, request: string): void {
    this.#settle();
    const at = this.clock.now;
    if (!this.snapshots.has(snapshotId)) {
      this.history.push({ at, process: process.name, request, status: 404 });
      throw notFound(request);
    }
    const madeFromIt = [...this.droplets.values()]
      .filter((droplet) => droplet.imageId === snapshotId)
      .map((droplet) => ({ id: droplet.id, status: this.statusOf(droplet.id) }));
    this.history.push({ at, process: process.name, request, status: 204, madeFromIt });
    this.snapshots.delete(snapshotId);
  }

  /** Snapshot actions that have completed leave their image, listed with its size. */
  #settle(): void {
    for (const action of this.actions) {
      if (action.type !== 'snapshot' || this.#settled.has(action.id)) continue;
      if (this.clock.now < action.startedAt + action.durationMs) continue;
      this.#settled.add(action.id);
      const snapshot: ModelSnapshot = {
        id: this.#nextSnapshotId++,
        name: action.name ?? `snapshot-${action.id}`,
        dropletId: action.dropletId,
        sizeGigabytes: 8,
        createdAt: action.startedAt + action.durationMs,
      };
      this.snapshots.set(snapshot.id, snapshot);
      this.#everListed.set(snapshot.id, snapshot);
    }
  }

  #snapshot(snapshot: ModelSnapshot): Snapshot {
    return {
      id: snapshot.id,
      name: snapshot.name,
      createdAt: new Date(snapshot.createdAt).toISOString(),
      sizeGigabytes: snapshot.sizeGigabytes,
      minDiskSize: 25,
      regions: ['fra1'],
      resourceId: snapshot.dropletId,
    };
  }

  /** A read still waiting past its deadline was aborted by the client then: it sees no answer. */
  #readInTime(deadline: number | undefined, request: string): void {
    if (this.options.ignoreDeadlines || deadline === undefined || this.clock.now <= deadline) return;
    throw new NetworkError({ status: 0, request, message: 'aborted at its deadline', outcomeUnknown: false });
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

  #create(dropletId: number, type: string, sentBy: string, busyCheck = true, name?: string): ModelAction {
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
      ...(name === undefined ? {} : { name }),
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
    return {
      id: dropletId,
      name: droplet.name,
      status: this.statusOf(dropletId),
      locked: this.#locked(dropletId),
      tags: droplet.tags,
      sizeSlug: SIZE.slug,
      diskGb: 25,
      regionSlug: 'fra1',
      features: [],
      backupIds: [],
      snapshotIds: [...this.snapshots.values()]
        .filter((snapshot) => snapshot.dropletId === dropletId)
        .map((snapshot) => snapshot.id),
      volumeIds: [],
      ...(droplet.imageId === undefined ? {} : { imageId: droplet.imageId }),
    };
  }

  #locked(dropletId: number): boolean {
    return this.actions.some(
      (action) => action.dropletId === dropletId && this.clock.now < action.startedAt + action.durationMs,
    );
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

function notFound(request: string): NotFoundError {
  return new NotFoundError({
    status: 404,
    id: 'not_found',
    request,
    message: 'The resource you were accessing could not be found.',
  });
}
