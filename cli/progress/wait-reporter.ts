/** How long a command may stay quiet before it says what it waits for. */
export const QUIET_LIMIT_MS = 2_000;

export interface WaitReporterOptions {
  /** What the command waits for right now, with roughly how long; undefined when it waits for nothing. */
  readonly describe: () => string | undefined | Promise<string | undefined>;
  /** Shows the text: a progress bar's status on a terminal, a plain line otherwise. */
  readonly print: (text: string) => void;
  /**
   * While the wait goes on, how often to say so again.
   * @default 15000
   */
  readonly repeatMs?: number;
  /**
   * How often to look.
   * @default 500
   */
  readonly pollMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Keeps a command from going quiet; `touch` whenever it shows progress of its own. */
export interface WaitReporter {
  touch(): void;
  stop(): void;
}

/**
 * Says what a command waits for once it has been quiet for two seconds (the rate limit, a busy
 * droplet, a snapshot in progress, an unreachable API), and again every `repeatMs` while the wait
 * goes on, so that no wait is silent and none floods a log.
 */
export function reportWaits(options: WaitReporterOptions): WaitReporter {
  const now = options.now ?? Date.now;
  const repeatMs = options.repeatMs ?? 15_000;
  let quietSince = now();
  let lastSaid: number | undefined;
  let looking = false;
  const timer = setInterval(() => {
    const at = now();
    const due = lastSaid === undefined ? quietSince + QUIET_LIMIT_MS : lastSaid + repeatMs;
    if (looking || at < due) return;
    looking = true;
    void Promise.resolve()
      .then(options.describe)
      .then((text) => {
        if (text === undefined) return;
        options.print(text);
        lastSaid = now();
      })
      .catch(() => undefined)
      .finally(() => {
        looking = false;
      });
  }, options.pollMs ?? 500);
  timer.unref();
  return {
    touch: () => {
      quietSince = now();
      lastSaid = undefined;
    },
    stop: () => clearInterval(timer),
  };
}

/** A wait in words: `about 40 s`, `about 3 min`. */
export function roughly(ms: number): string {
  const seconds = Math.max(Math.round(ms / 1000), 1);
  return seconds < 120 ? `about ${seconds} s` : `about ${Math.round(seconds / 60)} min`;
}
