import type {
  DigitalOceanClientOptions,
  FailureEvent,
  ResponseEvent,
} from '../../lambdas/adapters/digitalocean';
import { DigitalOceanError } from '../../lambdas/core/errors/digitalocean-error';
import { DigitalOceanUnreachableError } from './digitalocean-unreachable-error';

/** The default of `--wait-timeout`. */
export const DEFAULT_WAIT_TIMEOUT = '30s';

/** How often the watchdog looks at the clock; its answer is late by at most this much. */
const CHECK_EVERY_MS = 250;

export interface ReachabilityWatchdogOptions {
  /** The API the client talks to, for the message. */
  readonly apiUrl: string;
  /** Longest time DigitalOcean may stay unreachable before the watchdog gives up. */
  readonly timeoutMs: number;
  /** How the user wrote that time (`--wait-timeout 30s`), for the message. */
  readonly timeoutText: string;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The last attempt that did not reach DigitalOcean. */
interface Failure {
  readonly request: string;
  readonly message: string;
}

/**
 * Watches every request the client makes and says when DigitalOcean has been unreachable (no
 * response at all, or only 5xx) for longer than `timeoutMs`: the client, the use cases and their
 * queues otherwise retry quietly for as long as a tick allows, which for a person at a terminal
 * looks like a hang. Any response below 500 (a 4xx is an answer too) ends an outage.
 *
 * When the time is up it stops the client (`clientOptions.signal`), so that nothing keeps
 * retrying, and `error()` says why; `local`, which must outlive an outage, switches to `warnOnly`
 * after its start-up and is told about outages instead.
 */
export class ReachabilityWatchdog {
  readonly #options: ReachabilityWatchdogOptions;
  readonly #now: () => number;
  readonly #controller = new AbortController();
  #failingSince: number | undefined;
  #lastFailure: Failure | undefined;
  #timer: NodeJS.Timeout | undefined;
  #tripped: DigitalOceanUnreachableError | undefined;
  #warn: ((error: DigitalOceanUnreachableError | undefined) => void) | undefined;
  #warned = false;

  constructor(options: ReachabilityWatchdogOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The hooks to give the client: what it observes, and the signal that stops it. */
  get clientOptions(): Pick<DigitalOceanClientOptions, 'onResponse' | 'onFailure' | 'signal'> {
    return {
      onResponse: (event) => this.#onResponse(event),
      onFailure: (event) => this.#onFailure(event),
      signal: this.#controller.signal,
    };
  }

  /** Aborted when the watchdog gave up on DigitalOcean. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The current outage: since when, and its last cause; undefined while DigitalOcean answers. */
  outage(): { readonly forMs: number; readonly cause: string; readonly leftMs: number } | undefined {
    if (this.#failingSince === undefined || this.#lastFailure === undefined) return undefined;
    const forMs = this.#now() - this.#failingSince;
    return { forMs, cause: this.#cause(), leftMs: Math.max(this.#options.timeoutMs - forMs, 0) };
  }

  /**
   * Why the command must end with exit 2: the watchdog gave up, or the last request made did not
   * reach DigitalOcean (the work ended on that failure). Undefined when DigitalOcean answered last.
   */
  error(): DigitalOceanUnreachableError | undefined {
    if (this.#tripped) return this.#tripped;
    return this.#failingSince === undefined ? undefined : this.#unreachable();
  }

  /**
   * What to report for an error the work threw: this watchdog's own account when the error is a
   * failure to reach DigitalOcean (no response, a 5xx, or the stop the watchdog caused) and an
   * outage is on; the error itself otherwise.
   */
  explain(error: unknown): unknown {
    const unreachable = error instanceof DigitalOceanError && (error.status === 0 || error.status >= 500);
    return (unreachable && this.error()) || error;
  }

  start(): this {
    this.#timer ??= setInterval(() => this.#check(), CHECK_EVERY_MS);
    this.#timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * From now on an outage past the timeout is reported to `warn` (and its end, with undefined)
   * instead of stopping the client: for a scheduler that must keep running through one.
   */
  warnOnly(warn: (error: DigitalOceanUnreachableError | undefined) => void): void {
    this.#warn = warn;
  }

  #onResponse(event: ResponseEvent): void {
    if (event.status >= 500) {
      this.#failed({ request: `${event.method} ${event.path}`, message: `HTTP ${event.status}` });
      return;
    }
    if (this.#warned) this.#warn?.(undefined);
    this.#warned = false;
    this.#failingSince = undefined;
    this.#lastFailure = undefined;
  }

  #onFailure(event: FailureEvent): void {
    // Our own stop is not news about DigitalOcean.
    if (event.error.id === 'stopped') return;
    this.#failed({ request: `${event.method} ${event.path}`, message: event.error.apiMessage });
  }

  #failed(failure: Failure): void {
    this.#failingSince ??= this.#now();
    this.#lastFailure = failure;
  }

  #check(): void {
    const outage = this.outage();
    if (outage === undefined || outage.forMs < this.#options.timeoutMs) return;
    if (this.#warn) {
      if (!this.#warned)
        this.#warn(
          new DigitalOceanUnreachableError(
            `DigitalOcean unreachable at ${this.#options.apiUrl} for ${Math.round(outage.forMs / 1000)} s: ${outage.cause}; still trying`,
          ),
        );
      this.#warned = true;
      return;
    }
    if (this.#tripped) return;
    this.#tripped = this.#unreachable();
    this.#controller.abort(this.#tripped);
  }

  #cause(): string {
    const failure = this.#lastFailure;
    return failure ? `${failure.request}: ${failure.message}` : 'no request answered';
  }

  #unreachable(): DigitalOceanUnreachableError {
    const forMs = this.#failingSince === undefined ? 0 : this.#now() - this.#failingSince;
    const { apiUrl, timeoutMs, timeoutText } = this.#options;
    const gaveUp = forMs >= timeoutMs;
    return new DigitalOceanUnreachableError(
      `DigitalOcean unreachable at ${apiUrl}${gaveUp ? ` for ${Math.round(forMs / 1000)} s` : ''}: ${this.#cause()}` +
        (gaveUp
          ? `; stopped waiting (--wait-timeout ${timeoutText}); what was claimed stays in the ledger for reconcile`
          : ''),
    );
  }
}
