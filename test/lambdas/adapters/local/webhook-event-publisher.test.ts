import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createLocalRuntime,
  type LocalRuntime,
} from '../../../../lambdas/adapters/local/create-local-runtime';
import { WebhookEventPublisher } from '../../../../lambdas/adapters/local/webhook-event-publisher';
import { InMemoryEventPublisher } from '../../../../lambdas/adapters/in-memory/in-memory-event-publisher';
import { DETAIL_TYPES, type SchedulerEvent } from '../../../../lambdas/core/events/scheduler-event';
import { SKIP_TAG } from '../../../../lambdas/core/overrides/skip-tags';
import { dispatchRun } from '../../../../lambdas/core/use-cases/dispatch-run';
import { startSimulator, type SimulatorHandle } from '../../../../simulator';
import { makePolicy } from '../../../support/make-policy';
import { TEST_TIMING } from '../../../support/local-harness';
import { waitFor } from '../../../cli/run-cli-captured';
import { failedEvent } from '../event-publisher/sample-events';

/** A secret-looking path, as a Slack incoming webhook has. */
const SECRET_PATH = '/services/T000/B000/not-a-real-secret-but-treated-as-one';

interface Received {
  readonly contentType: string | undefined;
  readonly body: { text?: unknown };
}

/** A webhook on 127.0.0.1 that answers each POST with the next of `statuses` (then 200), and records it. */
async function startWebhook(
  statuses: number[] = [],
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        contentType: request.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
      });
      const status = statuses.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status === 200 ? 'ok' : status === 404 ? 'no_service' : 'try later');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${SECRET_PATH}`, received, server };
}

function skippedEvent(): SchedulerEvent {
  const failed = failedEvent(7);
  return {
    detailType: DETAIL_TYPES.skipped,
    detail: {
      ...failed.detail,
      status: 'skipped',
      error: null,
      reason: `the droplet carries the tag ${SKIP_TAG}`,
    },
  } as SchedulerEvent;
}

function completedEvent(): SchedulerEvent {
  const failed = failedEvent(8);
  return {
    detailType: DETAIL_TYPES.completed,
    detail: { ...failed.detail, status: 'completed', error: null },
  } as SchedulerEvent;
}

describe('WebhookEventPublisher, posting to a local HTTP server', () => {
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  afterEach(async () => {
    webhook?.server.closeAllConnections();
    await new Promise((resolve) => webhook?.server.close(resolve));
  });

  it('given a failed, a skipped and a completed event, posts the first two as Slack text after the event file has all three', async () => {
    // Prepare
    webhook = await startWebhook();
    const file = new InMemoryEventPublisher();
    const problems: string[] = [];
    const publisher = new WebhookEventPublisher(file, {
      url: webhook.url,
      onProblem: (line) => problems.push(line),
      intervalMs: 0,
    });
    // Act
    await publisher.publish([failedEvent(3164450), skippedEvent(), completedEvent()]);
    const flushed = await publisher.flush(5_000);
    // Assess
    expect(flushed).toBe(true);
    expect(file.events).toHaveLength(3);
    expect(webhook.received.map((request) => request.body)).toEqual([
      {
        text: 'droplet-scheduler: weekend-off (tick 2026-11-27T19:00:00.000Z): shutdown of droplet 3164450 (web-3164450) timed-out (timed_out): expected completed within 5 minutes, got: still in-progress',
      },
      {
        text: `droplet-scheduler: weekend-off (tick 2026-11-27T19:00:00.000Z): shutdown of droplet 7 (web-7) skipped: the droplet carries the tag ${SKIP_TAG}`,
      },
    ]);
    expect(webhook.received[0]?.contentType).toBe('application/json');
    expect(problems).toEqual([]);
  });

  it('given a webhook that answers 503 twice, retries and delivers the notification once', async () => {
    webhook = await startWebhook([503, 503]);
    const problems: string[] = [];
    const publisher = new WebhookEventPublisher(new InMemoryEventPublisher(), {
      url: webhook.url,
      onProblem: (line) => problems.push(line),
      intervalMs: 1,
    });

    await publisher.publish([failedEvent(1)]);
    await publisher.flush(5_000);

    expect(webhook.received).toHaveLength(3);
    expect(problems).toEqual([]);
  });

  it('given a webhook that refuses with 404, says so in one line naming scheme and host only, without retrying or failing the publish', async () => {
    webhook = await startWebhook([404]);
    const file = new InMemoryEventPublisher();
    const problems: string[] = [];
    const publisher = new WebhookEventPublisher(file, {
      url: webhook.url,
      onProblem: (line) => problems.push(line),
      intervalMs: 1,
    });

    await expect(publisher.publish([failedEvent(1)])).resolves.toBeUndefined();
    await publisher.flush(5_000);

    expect(webhook.received).toHaveLength(1);
    expect(file.events).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^webhook http:\/\/127\.0\.0\.1:\d+ refused a notification \(HTTP 404 no_service, 1 attempt\); not sent: droplet-scheduler: weekend-off/,
    );
    expect(problems[0]).not.toContain('/services/');
  });

  it('given a webhook nobody listens on, gives up after three attempts with one line, and the event file still has the event', async () => {
    webhook = await startWebhook();
    const { url } = webhook;
    await new Promise((resolve) => webhook.server.close(resolve));
    const file = new InMemoryEventPublisher();
    const problems: string[] = [];
    const publisher = new WebhookEventPublisher(file, {
      url,
      onProblem: (line) => problems.push(line),
      intervalMs: 1,
    });

    await publisher.publish([skippedEvent()]);
    await publisher.flush(5_000);

    expect(file.events).toHaveLength(1);
    expect(problems).toEqual([
      expect.stringMatching(/refused a notification \(no answer: ECONNREFUSED, 3 attempts\)/),
    ]);
    expect(problems[0]).not.toContain('/services/');
  });

  it('given more notifications waiting than it keeps, drops the newest and says so once', async () => {
    webhook = await startWebhook();
    const problems: string[] = [];
    const publisher = new WebhookEventPublisher(new InMemoryEventPublisher(), {
      url: webhook.url,
      onProblem: (line) => problems.push(line),
      intervalMs: 1,
      maxWaiting: 2,
    });

    await publisher.publish([1, 2, 3, 4, 5].map(failedEvent));
    await publisher.flush(5_000);

    expect(webhook.received).toHaveLength(2);
    expect(problems).toEqual([
      expect.stringContaining('more than 2 notifications waiting; dropping new ones'),
    ]);
  });
});

describe('local runtime with a notification webhook, against the simulator over HTTP', () => {
  let simulator: SimulatorHandle;
  let runtime: LocalRuntime;
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  afterEach(async () => {
    await runtime?.close();
    await simulator?.close();
    webhook?.server.closeAllConnections();
    await new Promise((resolve) => webhook?.server.close(resolve));
  });

  it("given a droplet DigitalOcean does not know and a skip-tagged one, posts DigitalOcean's own message and the skip reason", async () => {
    // Prepare
    simulator = await startSimulator({ droplets: 0, timeScale: 600 });
    webhook = await startWebhook();
    const kept = simulator.addDroplet({ name: 'db-keep', tags: [SKIP_TAG] });
    const problems: string[] = [];
    runtime = await createLocalRuntime({
      apiUrl: simulator.url,
      token: simulator.token,
      timeScale: 600,
      timing: TEST_TIMING,
      now: () => new Date(simulator.now()),
      notifyWebhook: { url: webhook.url, onProblem: (line) => problems.push(line), intervalMs: 0 },
    });
    const policy = makePolicy({
      name: 'db-reboot',
      targets: { dropletIds: [kept.id, 999_999_999] },
      action: { type: 'reboot' },
    });
    // Act
    await dispatchRun(runtime, { policy, scheduledTime: '2026-11-27T02:00:00Z' });
    await runtime.drain({ timeoutMs: 30_000 });
    await waitFor('two notifications', () => webhook.received.length >= 2, 10_000);
    // Assess
    const texts = webhook.received.map((request) => String(request.body.text)).sort();
    expect(texts).toEqual([
      `droplet-scheduler: db-reboot (tick 2026-11-27T02:00:00.000Z): reboot of droplet ${kept.id} (db-keep) skipped: the droplet carries the tag ${SKIP_TAG}`,
      expect.stringMatching(
        /^droplet-scheduler: db-reboot \(tick 2026-11-27T02:00:00\.000Z\): reboot of droplet 999999999 \(null\) rejected \(not_found\): droplet 999999999: .+/,
      ),
    ]);
    expect(problems).toEqual([]);
  });
});
