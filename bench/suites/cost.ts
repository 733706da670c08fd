import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { RateLimiter } from '../../lambdas/adapters/digitalocean/rate-limiter';
import { drainWorkQueue } from '../../lambdas/adapters/in-memory/drain-work-queue';
import { createLocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import { dispatchRun } from '../../lambdas/core/use-cases/dispatch-run';
import { initiateAction } from '../../lambdas/core/use-cases/initiate-action';
import { reconcileActions } from '../../lambdas/core/use-cases/reconcile-actions';
import { DropletScheduler } from '../../lib';
import { STUB_BUNDLING_CONTEXT } from '../../lib/handler-bundling';
import { startSimulator } from '../../simulator';
import { makePolicy } from '../../test/support/make-policy';
import type { BenchSuite } from '../figure';
import { AWS_LIST_PRICES as PRICE, WRITE_UNITS } from '../support/aws-list-prices';
import { meteredLedger } from '../support/counting-ledger';

const ACTIONS = 1_000;
/** The functions' memory in the construct. */
const MEMORY_GB = 0.5;
/** A ledger item is about 1 KB; an eventually consistent read costs half a unit per 4 KB. */
const READ_UNITS_PER_ITEM = 0.125;
const MINUTES_PER_MONTH = 43_200;
/** The initiate event source keeps long polls open while idle (AWS documents up to five pollers). */
const IDLE_SQS_REQUESTS_PER_MONTH = 650_000;

/**
 * What the deployment costs, from counts measured on the same code path (1,000 `reboot`s by id,
 * dispatched, initiated and reconciled to `completed`) and AWS list prices:
 *
 * - `cost.usd_per_1000_actions`: DynamoDB units from the ledger writes and the items read, SQS
 *   requests, Lambda requests and GB-seconds (initiate paced at the token's 250 a minute, two
 *   instances), PutEvents for each final status, and the log lines.
 * - `cost.usd_idle_month`: a month of reconcile ticks with nothing to do (measured pass), the
 *   initiate event source's idle polling, and the fixed monthly items of the synthesized stack
 *   (alarms, dashboard, custom metrics, the secret).
 */
export const costSuite: BenchSuite = async (record) => {
  const simulator = await startSimulator({ droplets: ACTIONS, timeScale: 2_000, rateLimit: false });
  const runtime = await createLocalRuntime({
    apiUrl: simulator.url,
    token: simulator.token,
    timeScale: 2_000,
    client: {
      rateLimiter: new RateLimiter({ windows: [{ limit: 1_000_000, lengthMs: 1_000 }], safetyMargin: 0 }),
    },
  });
  try {
    const meter = meteredLedger(runtime.ledger);
    let sendCalls = 0;
    let events = 0;
    const deps = {
      ...runtime,
      ledger: meter.ledger,
      queue: {
        send: async (...args: Parameters<typeof runtime.queue.send>) => {
          sendCalls += Math.ceil(args[0].length / 10);
          return runtime.queue.send(...args);
        },
      },
      events: {
        publish: async (published: Parameters<typeof runtime.events.publish>[0]) => {
          events += published.length;
          return runtime.events.publish(published);
        },
      },
    };
    const ids = simulator.state().droplets.map((droplet) => droplet.id);
    await dispatchRun(deps, {
      policy: makePolicy({ name: 'cost', targets: { dropletIds: ids }, action: { type: 'reboot' } }),
      scheduledTime: '2026-11-27T02:00:00.000Z',
    });
    await drainWorkQueue(runtime.queue, async (item) => void (await initiateAction(deps, item)), {
      timeoutMs: 120_000,
      concurrency: 16,
    });
    let reconcileMs = 0;
    for (
      let pass = 0;
      pass < 50 && (await runtime.ledger.findOpenDue(farFuture(), { limit: 1 })).items.length > 0;
      pass += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = performance.now();
      await reconcileActions({ ...deps, now: () => new Date(Date.now() + 60_000) });
      reconcileMs += performance.now() - started;
    }

    const writeUnits = Object.entries(meter.writes).reduce(
      (sum, [operation, count]) => sum + (WRITE_UNITS[operation] ?? 5) * count,
      0,
    );
    const readUnits = meter.reads.items * READ_UNITS_PER_ITEM + meter.reads.queries * 0.5;
    const initiateInvocations = Math.ceil(ACTIONS / 10);
    // Paced at 250 a minute, starting 1,000 actions keeps two initiate instances busy for 4 minutes.
    const initiateGbSeconds = (ACTIONS / 250) * 60 * 2 * MEMORY_GB;
    const perThousand =
      writeUnits * PRICE.dynamoWriteUnit +
      readUnits * PRICE.dynamoReadUnit +
      (sendCalls + 2 * initiateInvocations) * PRICE.sqsRequest +
      (initiateInvocations + 1) * PRICE.lambdaRequest +
      (initiateGbSeconds + (reconcileMs / 1000) * MEMORY_GB) * PRICE.lambdaArmGbSecond +
      events * PRICE.putEventsEvent +
      ((ACTIONS * 2_000) / 1e9) * PRICE.logsIngestedGb;
    record({ name: 'cost.usd_per_1000_actions', value: perThousand, unit: 'USD' });

    const idle = meteredLedger(runtime.ledger);
    const idleStarted = performance.now();
    await reconcileActions({ ...deps, ledger: idle.ledger });
    const idlePassSeconds = Math.max(0.05, (performance.now() - idleStarted) / 1000);
    const fixed = fixedMonthlyItems();
    const idleMonth =
      MINUTES_PER_MONTH *
        (PRICE.lambdaRequest +
          idlePassSeconds * MEMORY_GB * PRICE.lambdaArmGbSecond +
          PRICE.schedulerInvocation) +
      MINUTES_PER_MONTH * idle.reads.queries * 0.5 * PRICE.dynamoReadUnit +
      IDLE_SQS_REQUESTS_PER_MONTH * PRICE.sqsRequest +
      fixed.alarms * PRICE.alarmMonth +
      fixed.dashboards * PRICE.dashboardMonth +
      5 * PRICE.customMetricMonth +
      PRICE.secretMonth;
    record({ name: 'cost.usd_idle_month', value: idleMonth, unit: 'USD' });
  } finally {
    await runtime.close();
    await simulator.close();
  }
};

function farFuture(): string {
  return new Date(Date.now() + 365 * 86_400_000).toISOString();
}

/** The stack's fixed monthly items, counted in its synthesized template. */
function fixedMonthlyItems(): { alarms: number; dashboards: number } {
  const app = new App({ context: { [STUB_BUNDLING_CONTEXT]: true } });
  const stack = new Stack(app, 'Cost', { env: { account: '123456789012', region: 'us-east-1' } });
  new DropletScheduler(stack, 'DropletScheduler', {
    policies: [makePolicy({ name: 'p', targets: { tag: 'web' }, action: { type: 'reboot' } })],
    tokenSecret: secretsmanager.Secret.fromSecretNameV2(
      stack,
      'Token',
      'droplet-scheduler/digitalocean-token',
    ),
  });
  const template = Template.fromStack(stack);
  return {
    alarms: Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length,
    dashboards: Object.keys(template.findResources('AWS::CloudWatch::Dashboard')).length,
  };
}
