import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DropletScheduler, type DropletSchedulerProps } from '../../lib';
import { STUB_BUNDLING_CONTEXT } from '../../lib/handler-bundling';
import { samplePoliciesWithTeam } from './support/sample-policies';
import { TOKEN_SECRET_NAME } from './support/synth-scheduler';

interface Violation {
  readonly ruleName: string;
  readonly severity: string;
  readonly reason?: string;
  readonly violatingConstructs: { constructPath: string }[];
}
interface ValidationReport {
  readonly pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: Violation[];
    suppressedViolations?: Violation[];
  }[];
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Synthesizes one DropletScheduler under AwsSolutionsChecks and returns the validation report, whether or not synth threw. */
function nagReport(extra: (stack: Stack) => Partial<DropletSchedulerProps>): {
  report: ValidationReport;
  error?: unknown;
} {
  const outdir = mkdtempSync(path.join(tmpdir(), 'droplet-scheduler-nag-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { [STUB_BUNDLING_CONTEXT]: true } });
  const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-central-1' } });
  new DropletScheduler(stack, 'DropletScheduler', {
    policies: samplePoliciesWithTeam(),
    tokenSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Token', TOKEN_SECRET_NAME),
    ...extra(stack),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let error: unknown;
  try {
    app.synth();
  } catch (caught) {
    error = caught;
  }
  const report = JSON.parse(
    readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return { report, error };
}

describe('cdk-nag AwsSolutionsChecks', () => {
  test.each([
    ['the defaults', () => ({})],
    [
      'an alarm topic, a custom bus and a five-minute reconcile',
      (stack: Stack) => ({
        alarmTopic: sns.Topic.fromTopicArn(stack, 'Alarms', 'arn:aws:sns:eu-central-1:123456789012:ops'),
        eventBus: events.EventBus.fromEventBusName(stack, 'Bus', 'droplet-events'),
        reconcileInterval: Duration.minutes(5),
      }),
    ],
    [
      'notifications by email and webhook, on a custom bus',
      (stack: Stack) => ({
        notifications: {
          emails: ['ops@example.com'],
          webhookSecretName: 'droplet-scheduler/slack-webhook',
        },
        eventBus: events.EventBus.fromEventBusName(stack, 'Bus', 'droplet-events'),
      }),
    ],
    [
      'a team with a token of its own',
      (stack: Stack) => ({
        teams: {
          'web-shop': {
            tokenSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'ShopToken', 'teams/web-shop-token'),
            initiateConcurrency: 3,
          },
        },
      }),
    ],
  ])('given %s, when synthesized, then no error or warning is left unacknowledged', (_case, extra) => {
    const { report, error } = nagReport(extra);
    const nag = report.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
    expect(nag).toBeDefined();
    const open = nag!.violations.map(
      (v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`,
    );
    expect(open).toEqual([]);
    expect(nag!.conclusion).toBe('success');
    expect(error).toBeUndefined();
  });

  test('given notifications, when reported, then the only finding acknowledged is the dead-letter queue rule, for the notification queue too, with a reason', () => {
    const { report } = nagReport(() => ({
      notifications: { emails: ['ops@example.com'], webhookSecretName: 'droplet-scheduler/slack-webhook' },
    }));
    const suppressed = report.pluginReports.flatMap((plugin) => plugin.suppressedViolations ?? []);
    expect([...new Set(suppressed.map((violation) => violation.ruleName))]).toEqual(['AwsSolutions-SQS3']);
    expect(
      suppressed.filter((violation) =>
        violation.violatingConstructs.some((c) => c.constructPath.includes('Notifications/DeadLetterQueue')),
      ),
    ).toHaveLength(1);
    for (const violation of suppressed) expect(violation.reason).toMatch(/^[A-Z].{40,}\.$/);
  });

  test('given the acknowledged findings, when reported, then each carries a sentence of reason and only the expected rules are acknowledged', () => {
    const { report } = nagReport(() => ({}));
    const suppressed = report.pluginReports.flatMap((plugin) => plugin.suppressedViolations ?? []);
    // No AwsSolutions-L1: the functions run on the newest Node.js runtime the CDK offers.
    expect([...new Set(suppressed.map((violation) => violation.ruleName))].sort()).toEqual([
      'AwsSolutions-SQS3',
    ]);
    for (const violation of suppressed) expect(violation.reason).toMatch(/^[A-Z].{40,}\.$/);
  });
});
