import { randomBytes } from 'node:crypto';
import type { FirewallSeed, ProjectSeed, ReservedIpSeed, VolumeSeed } from './account-seeds';
import { SimulatorUsageError } from './simulator-error';

/**
 * The order `GET /v2/actions` and `GET /v2/droplets/{id}/actions` list actions in. DigitalOcean
 * documents none; in practice it is newest first. Oldest first lets a test show that a client
 * does not depend on it.
 */
export type ActionListOrder = 'newest-first' | 'oldest-first';

/** Faults the simulator injects into `/v2` traffic; settable at start and at run time. */
export interface FaultOptions {
  /**
   * Chance (0 to 1) that a `/v2` request is answered with a 500 or 503 in DigitalOcean's error shape
   * instead of being carried out. The request still counts against the rate limit, as on the real API.
   * @default 0
   */
  readonly serverErrorRate?: number;
  /**
   * Real milliseconds added before every `/v2` request is handled.
   * @default 0
   */
  readonly latencyMs?: number;
  /**
   * Chance (0 to 1) that a POST is carried out (the action exists) and then the connection is destroyed
   * with no response, so that the client cannot know the outcome.
   * @default 0
   */
  readonly dropAfterProcessRate?: number;
  /**
   * Droplets whose every `POST /v2/droplets/{id}/actions` is carried out and then loses its answer,
   * as `dropAfterProcessRate` does by chance: for claims that all lose their answers on one droplet.
   * @default []
   */
  readonly dropAnswerDropletIds?: readonly number[];
  /**
   * Chance (0 to 1) that a new action never leaves `in-progress`; its droplet stays locked.
   * @default 0
   */
  readonly stuckActionRate?: number;
  /**
   * Droplets whose new actions never leave `in-progress`.
   * @default []
   */
  readonly stuckDropletIds?: readonly number[];
  /**
   * Droplets whose new actions end `errored` (a failed snapshot, say).
   * @default []
   */
  readonly erroredDropletIds?: readonly number[];
  /**
   * Chance (0 to 1) that a `shutdown` completes but leaves the droplet running, as DigitalOcean warns
   * it may ("only guarantees that the signal was sent").
   * @default 0
   */
  readonly ineffectiveShutdownRate?: number;
}

/** Per-token rate limits: both sliding windows, as DigitalOcean enforces them. */
export interface RateLimitOptions {
  /**
   * Requests per sliding minute.
   * @default 250
   */
  readonly perMinute?: number;
  /**
   * Requests per sliding hour.
   * @default 5000
   */
  readonly perHour?: number;
  /**
   * Divides both window lengths: with 60 the "minute" lasts one real second and the "hour" one real
   * minute, and `retry-after` says so. Windows always run on the real clock (not shifted by `advance`)
   * because clients sleep real seconds on `retry-after`; `timeScale` does not change them, so that a
   * fast demo still shows the real limits unless asked otherwise.
   * @default 1
   */
  readonly windowScale?: number;
}

/** One droplet to create exactly as described, beside the generated ones. */
export interface DropletSeed {
  /** @default the next free id */
  readonly id?: number;
  /** @default a generated name */
  readonly name?: string;
  /** @default 'active' */
  readonly status?: 'active' | 'off';
  /** A size slug of the simulator's catalogue. @default 's-1vcpu-1gb' */
  readonly sizeSlug?: string;
  /** Disk in GB. @default the size's disk */
  readonly disk?: number;
  /** Used disk in GB, which a snapshot's size and duration follow. @default 40% of the disk */
  readonly usedDiskGb?: number;
  /** @default [] */
  readonly tags?: readonly string[];
  /** @default 'nyc3' */
  readonly region?: string;
  /** Whether backups are enabled; when true the droplet also has one backup to restore from. @default false */
  readonly backups?: boolean;
  /** @default false */
  readonly ipv6?: boolean;
  /** Whether the monitoring agent is installed (the `monitoring` feature). @default false */
  readonly monitoring?: boolean;
  /** @default the region's default VPC */
  readonly vpcUuid?: string;
}

export interface SimulatorOptions {
  /**
   * Interface to listen on. Never all interfaces unless asked.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * TCP port; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * The one bearer token the simulator accepts.
   * @default a fresh `dop_v1_` token of 64 random hex digits
   */
  readonly token?: string;
  /**
   * How many droplets to generate.
   * @default 10
   */
  readonly droplets?: number;
  /**
   * Tag name to how many generated droplets carry it. Tags are laid out deterministically on
   * consecutive droplets, each tag starting where the previous one ended (wrapping around), so that
   * `{ staging: 20, production: 10 }` over 50 droplets gives disjoint sets.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, number>>;
  /**
   * Seed for names, sizes, disks, regions and injected faults.
   * @default 1
   */
  readonly seed?: number;
  /**
   * Simulated time runs this many times faster than real time: every action takes 1/timeScale of
   * its real-world duration (a 30-minute snapshot settles in 30 s at 60). Timestamps stay on the wall
   * clock, so that they compare with the caller's own times; only durations shrink.
   * @default 1
   */
  readonly timeScale?: number;
  /**
   * `manual`: simulated time only moves with `advance(ms)`, for tests that must not sleep.
   * @default 'real'
   */
  readonly clock?: 'real' | 'manual';
  /**
   * The time source of the `real` clock and of the rate-limit windows, in epoch milliseconds. The
   * bench passes its discrete-event clock, so that the simulator, the client and the use cases
   * read one time (see `createInProcessSimulator`).
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Per-token limits, or `false` for none.
   * @default { perMinute: 250, perHour: 5000, windowScale: 1 }
   */
  readonly rateLimit?: RateLimitOptions | false;
  /** @default no faults */
  readonly faults?: FaultOptions;
  /**
   * Chance (0 to 1) that an action ends `errored` (with no effect on the droplet).
   * @default 0
   */
  readonly actionErrorRate?: number;
  /**
   * Droplets to create exactly as described, after the generated ones.
   * @default []
   */
  readonly seedDroplets?: readonly DropletSeed[];
  /**
   * Reserved IPs in the account, assigned or not.
   * @default []
   */
  readonly reservedIps?: readonly ReservedIpSeed[];
  /**
   * Block storage volumes, attached or not.
   * @default []
   */
  readonly volumes?: readonly VolumeSeed[];
  /**
   * Cloud firewalls that name droplets by id or by tag.
   * @default []
   */
  readonly firewalls?: readonly FirewallSeed[];
  /**
   * Projects beside the default one (`first-project`, which holds every start droplet unless one
   * of these is marked `isDefault` or lists them).
   * @default []
   */
  readonly projects?: readonly ProjectSeed[];
  /**
   * The order of action lists; settable at run time too (`POST /_simulator/settings`).
   * @default 'newest-first'
   */
  readonly actionListOrder?: ActionListOrder;
  /**
   * A file that holds the whole account: read at start when it exists (instead of building the
   * fleet from the options), and written, atomically, before every answer to a request that
   * changed something, so that a process killed at any moment restarts with every action it
   * answered, running actions that go on to their end, and ids that never repeat. An unreadable
   * file is set aside and the account built from the options, said in one line on stderr.
   * @default none (the account lives as long as the process)
   */
  readonly stateFile?: string;
}

export interface ResolvedFaults {
  serverErrorRate: number;
  latencyMs: number;
  dropAfterProcessRate: number;
  dropAnswerDropletIds: ReadonlySet<number>;
  stuckActionRate: number;
  stuckDropletIds: ReadonlySet<number>;
  erroredDropletIds: ReadonlySet<number>;
  ineffectiveShutdownRate: number;
}

export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  readonly droplets: number;
  readonly tags: ReadonlyArray<readonly [string, number]>;
  readonly seed: number;
  readonly timeScale: number;
  readonly clock: 'real' | 'manual';
  readonly now: () => number;
  readonly rateLimit: Required<RateLimitOptions> | false;
  readonly faults: ResolvedFaults;
  readonly actionErrorRate: number;
  readonly seedDroplets: readonly DropletSeed[];
  readonly reservedIps: readonly ReservedIpSeed[];
  readonly volumes: readonly VolumeSeed[];
  readonly firewalls: readonly FirewallSeed[];
  readonly projects: readonly ProjectSeed[];
  readonly actionListOrder: ActionListOrder;
  readonly stateFile: string | undefined;
}

/** Checks an action list order given at start or through the admin API. */
export function actionListOrder(value: unknown): ActionListOrder {
  if (value === 'newest-first' || value === 'oldest-first') return value;
  throw new SimulatorUsageError(
    `actionListOrder: expected 'newest-first' or 'oldest-first', got: ${JSON.stringify(value)}`,
  );
}

/** A token in DigitalOcean's format, made at run time so that none is ever stored in the repository. */
export function generateToken(): string {
  return `dop_v1_${randomBytes(32).toString('hex')}`;
}

function rate(field: string, value: number | undefined): number {
  const result = value ?? 0;
  if (!Number.isFinite(result) || result < 0 || result > 1) {
    throw new SimulatorUsageError(`${field}: expected a number from 0 to 1, got: ${value}`);
  }
  return result;
}

function count(field: string, value: number | undefined, fallback: number, min = 0): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < min) {
    throw new SimulatorUsageError(`${field}: expected an integer >= ${min}, got: ${value}`);
  }
  return result;
}

function positive(field: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isFinite(result) || result <= 0) {
    throw new SimulatorUsageError(`${field}: expected a number > 0, got: ${value}`);
  }
  return result;
}

/** Merges a fault change onto the current faults, checking every value. */
export function resolveFaults(faults: FaultOptions | undefined, base?: ResolvedFaults): ResolvedFaults {
  const merged = { ...base, ...faults };
  return {
    serverErrorRate: rate('faults.serverErrorRate', merged.serverErrorRate),
    latencyMs: count('faults.latencyMs', merged.latencyMs, 0),
    dropAfterProcessRate: rate('faults.dropAfterProcessRate', merged.dropAfterProcessRate),
    dropAnswerDropletIds: new Set(merged.dropAnswerDropletIds ?? []),
    stuckActionRate: rate('faults.stuckActionRate', merged.stuckActionRate),
    stuckDropletIds: new Set(merged.stuckDropletIds ?? []),
    erroredDropletIds: new Set(merged.erroredDropletIds ?? []),
    ineffectiveShutdownRate: rate('faults.ineffectiveShutdownRate', merged.ineffectiveShutdownRate),
  };
}

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const droplets = count('droplets', options.droplets, 10);
  const tags = Object.entries(options.tags ?? {});
  for (const [tag, tagged] of tags) {
    count(`tags.${tag}`, tagged, 0);
    if (tagged > droplets) {
      throw new SimulatorUsageError(
        `tags.${tag}: expected at most ${droplets} (the droplet count), got: ${tagged}`,
      );
    }
    if (!/^[a-zA-Z0-9_:-]{1,255}$/.test(tag)) {
      throw new SimulatorUsageError(
        `tags: expected a tag name of letters, digits, ':', '-' or '_', got: '${tag}'`,
      );
    }
  }
  const rateLimit =
    options.rateLimit === false
      ? false
      : {
          perMinute: count('rateLimit.perMinute', options.rateLimit?.perMinute, 250, 1),
          perHour: count('rateLimit.perHour', options.rateLimit?.perHour, 5000, 1),
          windowScale: positive('rateLimit.windowScale', options.rateLimit?.windowScale, 1),
        };
  return {
    host: options.host ?? '127.0.0.1',
    port: count('port', options.port, 0),
    token: options.token ?? generateToken(),
    droplets,
    tags,
    seed: count('seed', options.seed, 1),
    timeScale: positive('timeScale', options.timeScale, 1),
    clock: options.clock ?? 'real',
    now: options.now ?? Date.now,
    rateLimit,
    faults: resolveFaults(options.faults),
    actionErrorRate: rate('actionErrorRate', options.actionErrorRate),
    seedDroplets: options.seedDroplets ?? [],
    reservedIps: options.reservedIps ?? [],
    volumes: options.volumes ?? [],
    firewalls: options.firewalls ?? [],
    projects: options.projects ?? [],
    actionListOrder: actionListOrder(options.actionListOrder ?? 'newest-first'),
    stateFile: options.stateFile,
  };
}
