import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createDispatchHandler } from '../../../lambdas/handlers/dispatch-handler';
import { createInitiateHandler } from '../../../lambdas/handlers/initiate-handler';
import { createReconcileHandler, RECONCILE_METRICS } from '../../../lambdas/handlers/reconcile-handler';
import { createLogger } from '../../../lambdas/handlers/runtime/logger';
import { countingDropletApi } from '../../../lambdas/core/metrics/counting-droplet-api';
import type { UseCaseDependencies } from '../../../lambdas/core/use-cases/use-case-dependencies';
import { makePolicy } from '../../support/make-policy';
import { startLocalHarness, type LocalHarness } from '../../support/local-harness';

const logger = createLogger('test');
const TICK = '2026-11-27T02:00:00.000Z';

/** Captures what the handlers write to stdout (logs, EMF metrics) while `act` runs. */
async function capturingStdout<T>(act: () => Promise<T>): Promise<{ result: T; output: string }> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const log = jest
    .spyOn(console, 'log')
    .mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  const info = jest
    .spyOn(console, 'info')
    .mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    return { result: await act(), output: lines.join('\n') };
  } finally {
    write.mockRestore();
    log.mockRestore();
    info.mockRestore();
  }
}

describe('the Lambda handlers, on the local runtime', () => {
  let harness: LocalHarness;
  afterEach(() => harness?.close());

  it('given a Scheduler-shaped event, dispatches the tick; given an SQS batch with one poison message, reports only that one', async () => {
    // Prepare
    harness = await startLocalHarness({ droplets: 5, tags: { web: 5 } });
    const policy = makePolicy({ name: 'reboot-web', targets: { tag: 'web' }, action: { type: 'reboot' } });
    const dispatch = createDispatchHandler(async () => harness.runtime, logger);
    const initiate = createInitiateHandler(async () => harness.runtime, logger);
    const event = { policy: JSON.parse(JSON.stringify(policy)), scheduledTime: TICK, executionId: 'exec-1' };

    // Act
    const { result: outcome } = await capturingStdout(() => dispatch(event));
    const records = harness.runtime.queue
      .waiting()
      .map(({ item }, index) => ({ messageId: `m${index}`, body: JSON.stringify(item) }));
    const batch = { Records: [...records, { messageId: 'poison', body: '{"policy": 42' }] };
    const { result: response } = await capturingStdout(() => initiate(batch));

    // Assess
    expect(outcome).toEqual({ kind: 'queued', targets: 5 });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
    const items = await harness.actionItems('reboot-web');
    expect(items.map((item) => item.status)).toEqual(Array(5).fill('in-progress'));
  });

  it("given office-on's tick after office-off's shutdown, when the handlers carry both through, then office-off's power_off fallback is recorded skipped", async () => {
    harness = await startLocalHarness({
      droplets: 0,
      timeScale: 600,
      faults: { ineffectiveShutdownRate: 1 },
    });
    harness.simulator.addDroplet({ tags: ['office'] });
    const off = makePolicy({
      name: 'office-off',
      targets: { tag: 'office' },
      action: { type: 'shutdown' },
      fallback: 'power_off',
    });
    const on = makePolicy({ name: 'office-on', targets: { tag: 'office' }, action: { type: 'power_on' } });
    // SQS between the functions: what dispatch and the reconciler send, delivered to initiate as a batch.
    const sqs: unknown[] = [];
    const deps = {
      ...harness.runtime,
      queue: { send: async (items: readonly unknown[]) => void sqs.push(...items) },
    };
    const dispatch = createDispatchHandler(async () => deps, logger);
    const initiate = createInitiateHandler(async () => deps, logger);
    const metrics = new Metrics({
      namespace: RECONCILE_METRICS.namespace,
      serviceName: RECONCILE_METRICS.service,
    });
    const reconcile = createReconcileHandler(
      async () => ({ ...deps, apiRequests: () => 0 }),
      logger,
      metrics,
    );
    const deliverQueue = async () => {
      const records = sqs
        .splice(0)
        .map((item, index) => ({ messageId: `m${index}`, body: JSON.stringify(item) }));
      if (records.length > 0) await initiate({ Records: records });
    };

    await capturingStdout(async () => {
      await dispatch({ policy: JSON.parse(JSON.stringify(off)), scheduledTime: TICK });
      await new Promise((resolve) => setTimeout(resolve, 300)); // the shutdown finishes; the droplet runs on
      await dispatch({ policy: JSON.parse(JSON.stringify(on)), scheduledTime: '2026-11-27T02:01:00.000Z' });
      for (let pass = 0; pass < 20; pass += 1) {
        await reconcile();
        await deliverQueue();
        const fallback = (await harness.actionItems('office-off')).find((item) => item.step === 1);
        if (fallback && fallback.status !== 'pending') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

    const fallback = (await harness.actionItems('office-off')).find((item) => item.step === 1);
    expect(fallback).toMatchObject({
      type: 'power_off',
      status: 'skipped',
      reason: expect.stringContaining("office-on's tick"),
    });
    expect(harness.simulator.state().actions.filter((action) => action.type === 'power_off')).toHaveLength(0);
  });

  it('given a malformed event, fails with the field named and calls nothing', async () => {
    harness = await startLocalHarness({ droplets: 1 });
    const dispatch = createDispatchHandler(async () => harness.runtime, logger);

    await expect(dispatch({ policy: { name: 'x' }, scheduledTime: 'yesterday' })).rejects.toThrow(
      /scheduledTime/,
    );
    await expect(dispatch({ policy: { name: 'bad name!' }, scheduledTime: TICK })).rejects.toThrow(
      /schedule input/,
    );
    expect(harness.simulator.state().requestCounts).toEqual({});
  });

  it('publishes the reconcile pass as EMF metrics in the DropletScheduler namespace', async () => {
    harness = await startLocalHarness({ droplets: 3, timeScale: 6000 });
    const ids = harness.simulator.state().droplets.map((droplet) => droplet.id);
    const dispatch = createDispatchHandler(async () => harness.runtime, logger);
    await capturingStdout(() =>
      dispatch({
        policy: makePolicy({ name: 'r', targets: { dropletIds: ids }, action: { type: 'reboot' } }),
        scheduledTime: TICK,
      }),
    );
    await harness.runtime.drain({ timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const counted = countingDropletApi(harness.runtime.api);
    const deps = {
      ...harness.runtime,
      api: counted.api,
      apiRequests: counted.count,
      now: () => new Date(Date.now() + 60_000),
    };
    const reconcile = createReconcileHandler(
      async () => deps,
      logger,
      new Metrics({ namespace: RECONCILE_METRICS.namespace, serviceName: 'test' }),
    );

    const { result: report, output } = await capturingStdout(() => reconcile());

    expect(report.completed).toBe(3);
    const emf = output.split('\n').find((line) => line.includes('"_aws"'));
    const document = JSON.parse(emf ?? '{}');
    expect(document._aws.CloudWatchMetrics[0].Namespace).toBe('DropletScheduler');
    expect(document.ActionsCompleted).toBe(3);
    expect(document.ApiRequests).toBeGreaterThanOrEqual(1);
  });

  it("given two teams' finished actions, when a team unit's reconciler runs, then it settles its own team's and leaves the other team's open for the other unit", async () => {
    // Prepare: two reboots of each team, finished at DigitalOcean and due for their first look.
    harness = await startLocalHarness({ droplets: 4, timeScale: 6000, tags: { shop: 2, data: 2 } });
    const dispatch = createDispatchHandler(async () => harness.runtime, logger);
    await capturingStdout(async () => {
      for (const [name, team, tag] of [
        ['reboot-shop', 'web-shop', 'shop'],
        ['reboot-data', 'data', 'data'],
      ] as const) {
        await dispatch({
          policy: JSON.parse(
            JSON.stringify(makePolicy({ name, team, targets: { tag }, action: { type: 'reboot' } })),
          ),
          scheduledTime: TICK,
        });
      }
    });
    await harness.runtime.drain({ timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const unit = (teamScope: UseCaseDependencies['teamScope']) =>
      createReconcileHandler(
        async () => ({
          ...harness.runtime,
          apiRequests: () => 0,
          now: () => new Date(Date.now() + 60_000),
          teamScope,
        }),
        logger,
        new Metrics({ namespace: RECONCILE_METRICS.namespace, serviceName: 'test' }),
      );
    const statuses = async (policy: string) => (await harness.actionItems(policy)).map((item) => item.status);

    // Act
    const { result: shopReport } = await capturingStdout(() => unit({ only: ['web-shop'] })());
    const afterShop = { shop: await statuses('reboot-shop'), data: await statuses('reboot-data') };
    const { result: defaultReport } = await capturingStdout(() => unit({ except: ['web-shop'] })());

    // Assess
    expect(shopReport).toMatchObject({ examined: 2, completed: 2 });
    expect(afterShop).toEqual({ shop: ['completed', 'completed'], data: ['in-progress', 'in-progress'] });
    expect(defaultReport).toMatchObject({ examined: 2, completed: 2 });
    expect(await statuses('reboot-data')).toEqual(['completed', 'completed']);
  });

  it('given the Lambda context, then every log line of the invocation carries its request id and whether it was a cold start', async () => {
    // Prepare
    harness = await startLocalHarness({ droplets: 2, tags: { web: 2 } });
    const contextLogger = createLogger('context-test');
    const dispatch = createDispatchHandler(async () => harness.runtime, contextLogger);
    const policy = makePolicy({ name: 'reboot-web', targets: { tag: 'web' }, action: { type: 'reboot' } });
    const context = lambdaContext('req-0001');

    // Act
    const { output } = await capturingStdout(() =>
      dispatch({ policy: JSON.parse(JSON.stringify(policy)), scheduledTime: TICK }, context),
    );

    // Assess
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({
        function_request_id: 'req-0001',
        function_name: 'droplet-scheduler-dispatch',
        cold_start: expect.any(Boolean),
      });
    }
  });
});

/** What Lambda passes as the second argument, with the fields Powertools reads. */
function lambdaContext(awsRequestId: string): Context {
  return {
    awsRequestId,
    functionName: 'droplet-scheduler-dispatch',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:droplet-scheduler-dispatch',
    memoryLimitInMB: '512',
    logGroupName: '/aws/lambda/droplet-scheduler-dispatch',
    logStreamName: '2026/11/27/[$LATEST]0123456789abcdef',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
