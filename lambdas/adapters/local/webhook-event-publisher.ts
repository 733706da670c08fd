import { setTimeout as sleep } from 'node:timers/promises';
import { notificationText } from '../../core/events/notification-text';
import type { SchedulerEvent } from '../../core/events/scheduler-event';
import type { EventPublisher } from '../../core/ports/event-publisher';

export interface WebhookOptions {
  /** Where to POST `{ "text": … }` (a Slack incoming webhook, or anything that reads `text`). Its path may be a secret. */
  readonly url: string;
  /**
   * Told, in one line that never shows the URL's path, about each notification that could not be
   * delivered, and about a wait at stop for notifications still waiting.
   */
  readonly onProblem: (line: string) => void;
  /**
   * Attempts per notification, retrying a 429, a 5xx or no answer; another 4xx is not retried.
   * @default 3
   */
  readonly attempts?: number;
  /**
   * Time between two posts, and the first wait before a retry (doubling after each): Slack allows an
   * incoming webhook about one message a second, as the deployed API destination's rate does.
   * @default 1000
   */
  readonly intervalMs?: number;
  /**
   * Longest wait for one answer.
   * @default 5000
   */
  readonly timeoutMs?: number;
  /**
   * Notifications waiting at most; past it new ones are dropped, and said so once.
   * @default 100
   */
  readonly maxWaiting?: number;
}

/**
 * Local mode's notifications: the events go to `inner` (the event file) first, and then each
 * failed, timed-out, refused or skipped action is posted to a webhook, worded as the deployed
 * notifications word it. Posting happens behind the scheduler's back, one at a time and paced: a
 * slow or broken webhook never holds up or fails a publish, and never loses an event, since the
 * event file already has it. A notification that cannot be delivered is one line to `onProblem`.
 */
export class WebhookEventPublisher implements EventPublisher {
  readonly #inner: EventPublisher;
  readonly #url: string;
  readonly #where: string;
  readonly #options: Required<Omit<WebhookOptions, 'url' | 'onProblem'>> & Pick<WebhookOptions, 'onProblem'>;
  #chain: Promise<void> = Promise.resolve();
  #waiting = 0;
  #dropped = 0;

  constructor(inner: EventPublisher, options: WebhookOptions) {
    this.#inner = inner;
    this.#url = options.url;
    this.#where = webhookOrigin(options.url);
    this.#options = {
      attempts: 3,
      intervalMs: 1000,
      timeoutMs: 5000,
      maxWaiting: 100,
      ...options,
    };
  }

  /** Notifications not yet posted or given up on. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Where notifications go, safe to print: scheme and host only. */
  get origin(): string {
    return this.#where;
  }

  async publish(events: readonly SchedulerEvent[]): Promise<void> {
    await this.#inner.publish(events);
    for (const event of events) {
      const text = notificationText(event);
      if (text === undefined) continue;
      if (this.#waiting >= this.#options.maxWaiting) {
        this.#dropped += 1;
        if (this.#dropped === 1)
          this.#options.onProblem(
            `webhook ${this.#where}: more than ${this.#options.maxWaiting} notifications waiting; dropping new ones until it catches up (the event file has every event)`,
          );
        continue;
      }
      this.#waiting += 1;
      this.#chain = this.#chain.then(() => this.#deliver(text)).finally(() => (this.#waiting -= 1));
    }
  }

  /** Waits until every notification waiting has been posted or given up on, for at most `timeoutMs`. */
  async flush(timeoutMs: number): Promise<boolean> {
    const done = this.#chain.then(() => true);
    const timer = sleep(timeoutMs, false, { ref: false });
    return Promise.race([done, timer]);
  }

  async #deliver(text: string): Promise<void> {
    const { attempts, intervalMs, onProblem } = this.#options;
    let last = '';
    let attempt = 1;
    for (; attempt <= attempts; attempt += 1) {
      const answer = await this.#post(text);
      if (answer.ok) {
        if (this.#dropped > 0) this.#dropped = 0;
        await sleep(intervalMs);
        return;
      }
      last = answer.why;
      if (!answer.retry || attempt === attempts) break;
      await sleep(answer.retryAfterMs ?? intervalMs * 2 ** (attempt - 1));
    }
    const tries = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
    onProblem(
      `webhook ${this.#where} refused a notification (${last}, ${tries}); not sent: ${firstWords(text)}`,
    );
    await sleep(intervalMs);
  }

  async #post(
    text: string,
  ): Promise<{ ok: true } | { ok: false; retry: boolean; why: string; retryAfterMs?: number }> {
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (error) {
      return { ok: false, retry: true, why: `no answer: ${networkCause(error)}` };
    }
    const body = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 100);
    if (response.ok) return { ok: true };
    const why = `HTTP ${response.status}${body ? ` ${body}` : ''}`;
    const retryAfter = Number(response.headers.get('retry-after'));
    const retryAfterMs =
      Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 30) * 1000 : undefined;
    return { ok: false, retry: response.status === 429 || response.status >= 500, why, retryAfterMs };
  }
}

/**
 * The part of a webhook URL that may be shown: scheme and host. A Slack incoming webhook's path is
 * its credential, and query strings often carry tokens.
 */
export function webhookOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(not a URL)';
  }
}

function networkCause(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

/** The start of a notification, to say which one was lost without repeating all of it. */
function firstWords(text: string): string {
  return text.length <= 120 ? text : `${text.slice(0, 117)}...`;
}
