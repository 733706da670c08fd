import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../lambdas/core/events/scheduler-event';
import { loadPolicies } from '../../lambdas/core/policy/load-policies';
import {
  ENVIRONMENT_VARIABLES,
  TEAM_SCOPE_VARIABLE,
} from '../../lambdas/handlers/runtime/lambda-environment';
import { DropletScheduler } from '../../lib';
import { HANDLER_NAMES, HANDLER_RUNTIME, type HandlerName } from '../../lib/handler-bundling';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { startAwsJsonEmulator, type AwsJsonEmulator } from '../support/aws-json-emulator';
import { startDynalite, type RunningDynalite } from '../support/dynalite';

/**
 * The three Lambda bundles exactly as `cdk deploy` uploads them (the esbuild output of a real
 * synth), each run on plain Node with no tsx and only the environment the template gives it, against
 * dynalite, the DigitalOcean simulator and a local stand-in for SQS, Secrets Manager and EventBridge
 * over the AWS JSON protocols. A schedule's rendered input goes through dispatch, what dispatch
 * queued goes through initiate as an SQS event, and reconcile settles every action.
 *
 * LAMBDA_NODE names the Node binary to run the bundles with (CI passes the Lambda runtime's major);
 * without it, this process's Node runs them.
 */

const NODE = process.env.LAMBDA_NODE ?? process.execPath;
const NODE_VERSION = execFileSync(NODE, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
const ACCOUNT = '123456789012';
const REGION = 'eu-central-1';
/** One invocation is a cold start of a fresh process: loading, the secret, the calls. */
const INVOCATION_TIMEOUT_MS = 30_000;
/** Reconcile runs until every action has its final event; a seconds-paced action is first looked at ~10-26 s after it starts. */
const SETTLE_DEADLINE_MS = 45_000;
const RECONCILE_PAUSE_MS = 3_000;

const POLICIES = `
defaults:
  timezone: Europe/Berlin
policies:
  - name: reboot-web
    schedule: cron(0 3 * * ? *)
    targets: { tag: web }
    action: { type: reboot }
  - name: batch-off
    schedule: cron(0 20 * * ? *)
    targets: { tag: batch }
    action: { type: power_off }
`;

interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}
type Template = { readonly Resources: Record<string, CfnResource> };

interface Invocation {
  readonly result: unknown;
  readonly error?: { readonly name: string; readonly message: string };
  readonly output: string;
  readonly exitCode: number | null;
}

const work = mkdtempSync(path.join(tmpdir(), 'droplet-scheduler-bundles-'));
let simulator: SimulatorHandle;
let dynalite: RunningDynalite;
let emulator: AwsJsonEmulator;
let template: Template;
const functions = new Map<HandlerName, { bundle: string; environment: Record<string, string> }>();
let invocations = 0;

beforeAll(async () => {
  simulator = await startSimulator({ droplets: 5, tags: { web: 3, batch: 2 }, timeScale: 600 });
  dynalite = await startDynalite();

  const app = new App({ outdir: path.join(work, 'cdk.out') });
  const stack = new Stack(app, 'Bundles', { env: { account: ACCOUNT, region: REGION } });
  new DropletScheduler(stack, 'DropletScheduler', {
    policies: [...loadPolicies(POLICIES, 'bundles.yaml').policies],
    tokenSecret: secretsmanager.Secret.fromSecretNameV2(
      stack,
      'Token',
      'droplet-scheduler/digitalocean-token',
    ),
    apiUrl: simulator.url,
  });
  const assembly = app.synth();
  template = assembly.getStackByName('Bundles').template as Template;

  // What CloudFormation would fill in: the table's and the queue's names, the partition.
  const resolved = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::DynamoDB::Table') resolved.set(id, `ledger-${id}`);
  }
  const tokenSecretArns = new Set<string>();
  emulator = await startAwsJsonEmulator({
    secrets: new Proxy({} as Record<string, string>, {
      get: (_target, secretId) => (tokenSecretArns.has(String(secretId)) ? simulator.token : undefined),
    }),
  });
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::SQS::Queue') resolved.set(id, `${emulator.url}/${ACCOUNT}/${id}`);
  }

  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = HANDLER_NAMES.find((handler) => id.toLowerCase().startsWith(`dropletscheduler${handler}`));
    if (!name) continue;
    const variables = (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const environment = Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [key, resolveValue(value, resolved)]),
    );
    tokenSecretArns.add(environment[ENVIRONMENT_VARIABLES.tokenSecretArn]!);
    const [file, exported] = String(resource.Properties.Handler).split('.');
    const assetHash = (resource.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
    const bundle = path.join(work, 'cdk.out', `asset.${assetHash}`, `${file}.mjs`);
    expect(exported).toBe('handler');
    functions.set(name, { bundle, environment });
  }

  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::DynamoDB::Table') continue;
    const properties = resource.Properties as Omit<CreateTableCommandInput, 'TableName'>;
    await dynalite.client.send(
      new CreateTableCommand({
        TableName: resolved.get(id),
        KeySchema: properties.KeySchema,
        AttributeDefinitions: properties.AttributeDefinitions,
        GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes,
        BillingMode: properties.BillingMode,
      }),
    );
  }

  writeFileSync(path.join(work, 'invoke.mjs'), INVOKE_SCRIPT);
}, 120_000);

afterAll(async () => {
  await emulator?.close();
  await dynalite?.close();
  await simulator?.close();
  rmSync(work, { recursive: true, force: true });
});

/** `Ref`, `Fn::GetAtt` and `Fn::Join` as CloudFormation resolves them, for the values this template uses. */
function resolveValue(value: unknown, resources: ReadonlyMap<string, string>): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  if (typeof intrinsic.Ref === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const found = pseudo[intrinsic.Ref] ?? resources.get(intrinsic.Ref);
    if (found === undefined) throw new Error(`cannot resolve { Ref: ${intrinsic.Ref} }`);
    return found;
  }
  if (Array.isArray(intrinsic['Fn::Join'])) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveValue(part, resources)).join(separator);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/**
 * Runs one bundle's handler in a fresh Node process, as Lambda's runtime does: the module imported,
 * `handler(event, context)` awaited. The environment is the function's own from the template plus
 * what Lambda itself sets, with the SDK pointed at the local endpoints; nothing else is inherited
 * (no NODE_OPTIONS hook, no tsx, no node_modules beside the bundle).
 */
async function invoke(
  name: HandlerName,
  event: unknown,
  extraEnvironment: Record<string, string> = {},
): Promise<Invocation> {
  const fn = functions.get(name)!;
  invocations += 1;
  const eventFile = path.join(work, `event-${invocations}.json`);
  const resultFile = path.join(work, `result-${invocations}.json`);
  writeFileSync(eventFile, JSON.stringify(event));
  const child = spawn(
    NODE,
    [path.join(work, 'invoke.mjs'), fn.bundle, eventFile, resultFile, `request-${invocations}`, name],
    {
      cwd: path.dirname(fn.bundle),
      env: {
        PATH: process.env.PATH,
        ...fn.environment,
        ...extraEnvironment,
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_LAMBDA_FUNCTION_NAME: `droplet-scheduler-${name}`,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_EXECUTION_ENV: `AWS_Lambda_${HANDLER_RUNTIME.name}`,
        LAMBDA_TASK_ROOT: path.dirname(fn.bundle),
        TZ: ':UTC',
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE00',
        AWS_SECRET_ACCESS_KEY: 'example-secret-key-for-the-local-endpoints',
        AWS_SESSION_TOKEN: 'example-session-token',
        AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
        AWS_ENDPOINT_URL_SQS: emulator.url,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: emulator.url,
        AWS_ENDPOINT_URL_EVENTBRIDGE: emulator.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exitCode = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), INVOCATION_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  if (!existsSync(resultFile)) {
    throw new Error(`the ${name} bundle did not answer (exit ${exitCode}):\n${output.slice(-3000)}`);
  }
  const answer = JSON.parse(readFileSync(resultFile, 'utf8')) as Pick<Invocation, 'result' | 'error'>;
  return { ...answer, output, exitCode };
}

/** The runtime's part: import the bundle, call the handler with the event and a context, write the answer. */
const INVOKE_SCRIPT = `
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [bundle, eventFile, resultFile, requestId, name] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundle).href);
const functionName = 'droplet-scheduler-' + name;
const context = {
  awsRequestId: requestId,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:${REGION}:${ACCOUNT}:function:' + functionName,
  memoryLimitInMB: '512',
  logGroupName: '/aws/lambda/' + functionName,
  logStreamName: '2026/11/30/[$LATEST]' + requestId,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60000,
};
let answer;
try {
  answer = { result: (await handler(JSON.parse(readFileSync(eventFile, 'utf8')), context)) ?? null };
} catch (error) {
  answer = { result: null, error: { name: error?.name, message: error?.message } };
}
writeFileSync(resultFile, JSON.stringify(answer));
// Lambda freezes the process after the answer; here it ends, keep-alive sockets or not.
process.exit(0);
`;

/** The input EventBridge Scheduler sends for a policy: the template's, with its placeholders filled in. */
function renderedScheduleInput(policy: string, scheduledTime: string): unknown {
  const schedule = Object.values(template.Resources).find(
    (resource) => resource.Type === 'AWS::Scheduler::Schedule' && resource.Properties.Name === policy,
  );
  const input = (schedule?.Properties.Target as { Input?: unknown } | undefined)?.Input;
  expect(typeof input).toBe('string');
  return JSON.parse(
    (input as string)
      .replaceAll('<aws.scheduler.scheduled-time>', scheduledTime)
      .replaceAll('<aws.scheduler.execution-id>', `execution-${policy}`),
  );
}

/** An SQS event source batch, as Lambda delivers one, from the messages the emulator holds. */
function sqsEvent(messages: AwsJsonEmulator['messages']) {
  return {
    Records: messages.map((message) => ({
      messageId: message.messageId,
      receiptHandle: `handle-${message.messageId}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'AROAEXAMPLE',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:work`,
      awsRegion: REGION,
    })),
  };
}

function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe(`the synthesized Lambda bundles on plain Node ${NODE_VERSION}`, () => {
  test('given the template, then each function has the whole runtime environment, and a bundle that is self-contained ESM', () => {
    expect([...functions.keys()].sort()).toEqual([...HANDLER_NAMES].sort());
    for (const [name, fn] of functions) {
      for (const variable of Object.values(ENVIRONMENT_VARIABLES)) {
        expect({ name, variable, set: fn.environment[variable] !== undefined }).toEqual({
          name,
          variable,
          set: true,
        });
      }
      expect(existsSync(path.join(path.dirname(fn.bundle), 'node_modules'))).toBe(false);
    }
  });

  test('given a tick, when dispatch, initiate and reconcile run as deployed, then every action starts once and settles with its event', async () => {
    const scheduledTime = `${new Date().toISOString().slice(0, 16)}:00Z`;

    // dispatch: the per-droplet policy queues its droplets; the bulk one starts them in one request.
    const rebootTick = await invoke('dispatch', renderedScheduleInput('reboot-web', scheduledTime));
    expect(rebootTick.error).toBeUndefined();
    expect(rebootTick.result).toMatchObject({ kind: 'queued', targets: 3 });
    const bulkTick = await invoke('dispatch', renderedScheduleInput('batch-off', scheduledTime));
    expect(bulkTick.error).toBeUndefined();
    expect(emulator.messages).toHaveLength(3);
    expect(emulator.operations).toContain('AmazonSQS.SendMessageBatch');

    // initiate: the SQS batch built from what dispatch sent.
    const initiated = await invoke('initiate', sqsEvent(emulator.messages));
    expect(initiated.error).toBeUndefined();
    expect(initiated.result).toEqual({ batchItemFailures: [] });
    const started = simulator.state().actions;
    expect(started.filter((action) => action.type === 'reboot')).toHaveLength(3);
    expect(started.filter((action) => action.type === 'power_off')).toHaveLength(2);

    // reconcile, on its own schedule, until every action has its final event (bounded).
    const reconciles: Invocation[] = [];
    const deadline = Date.now() + SETTLE_DEADLINE_MS;
    const finalEvents = () =>
      emulator.events.filter(
        (event) => event.detailType === DETAIL_TYPES.completed || event.detailType === DETAIL_TYPES.failed,
      );
    while (finalEvents().length < started.length && Date.now() < deadline) {
      // First the reconciler of a team unit these policies are not in (they name no team): it
      // must leave every item to the default unit's reconciler, which runs next.
      const otherUnit = await invoke(
        'reconcile',
        { scheduledTime: new Date().toISOString(), executionId: `other-${reconciles.length}` },
        { [TEAM_SCOPE_VARIABLE]: 'only:web-shop' },
      );
      expect(otherUnit.error).toBeUndefined();
      expect(otherUnit.result).toMatchObject({ examined: 0 });
      const pass = await invoke('reconcile', {
        scheduledTime: new Date().toISOString(),
        executionId: `reconcile-${reconciles.length}`,
      });
      expect(pass.error).toBeUndefined();
      reconciles.push(pass);
      if (finalEvents().length < started.length)
        await new Promise((resolve) => setTimeout(resolve, RECONCILE_PAUSE_MS));
    }

    const events = finalEvents();
    expect(events.map((event) => event.detailType)).toEqual(
      Array(started.length).fill(DETAIL_TYPES.completed),
    );
    expect(events.every((event) => event.source === EVENT_SOURCE && event.eventBusName === 'default')).toBe(
      true,
    );
    expect(
      events.map((event) => (event.detail as { actionId: number }).actionId).sort((a, b) => a - b),
    ).toEqual(started.map((action) => action.id).sort((a, b) => a - b));
    expect(reconciles.some((pass) => (pass.result as { examined: number }).examined > 0)).toBe(true);
    // Each action was started once: DigitalOcean saw five POSTs' worth of actions, no more.
    expect(simulator.state().actions).toHaveLength(5);

    // Every line each bundle logged carries its invocation's request id; the first of each process is a cold start.
    const all = [rebootTick, bulkTick, initiated, ...reconciles];
    for (const invocation of all) {
      const lines = jsonLines(invocation.output).filter((line) => 'level' in line);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines)
        expect(line).toMatchObject({
          function_request_id: expect.stringMatching(/^request-\d+$/),
          cold_start: true,
        });
      expect(invocation.output).not.toContain(simulator.token);
      expect(invocation.exitCode).toBe(0);
    }
  }, 120_000);

  test('given a bundle without one of its environment variables, when invoked, then it fails at once naming the variable', async () => {
    const fn = functions.get('dispatch')!;
    const { [ENVIRONMENT_VARIABLES.workQueueUrl]: _removed, ...rest } = fn.environment;
    functions.set('dispatch', { ...fn, environment: rest });
    try {
      const failed = await invoke('dispatch', renderedScheduleInput('reboot-web', '2026-11-30T03:00:00Z'));
      expect(failed.error?.name).toBe('ConfigurationError');
      expect(failed.error?.message).toContain(`${ENVIRONMENT_VARIABLES.workQueueUrl}:`);
    } finally {
      functions.set('dispatch', fn);
    }
  });

  test('given a reconcile bundle with a malformed team scope, when invoked, then it fails at once naming the variable', async () => {
    const failed = await invoke(
      'reconcile',
      { scheduledTime: new Date().toISOString(), executionId: 'bad-scope' },
      { [TEAM_SCOPE_VARIABLE]: 'web-shop' },
    );
    expect(failed.error?.name).toBe('ConfigurationError');
    expect(failed.error?.message).toContain(`${TEAM_SCOPE_VARIABLE}: expected only:<team>`);
  });
});
