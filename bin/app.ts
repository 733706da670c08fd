import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DropletSchedulerError } from '../lambdas/core/errors/droplet-scheduler-error';
import { loadPolicyFile } from '../lambdas/core/policy/load-policies';
import { DropletSchedulerStack } from '../lib/droplet-scheduler-stack';
import { notificationsFromContext } from '../lib/notification-context';
import { teamsFromContext } from '../lib/team-context';

/**
 * Context keys (`cdk synth -c key=value`) and their defaults. Notifications have their own, all
 * optional: `notifyEmails` (comma-separated), `notifyTopicArn`, `notifyWebhookSecret` (lib/notification-context.ts);
 * so do teams with a token of their own: `teams`, JSON (lib/team-context.ts).
 */
export const APP_CONTEXT = {
  policies: { key: 'policies', default: 'examples/policies.yaml' },
  tokenSecretName: { key: 'tokenSecretName', default: 'droplet-scheduler/digitalocean-token' },
  stackName: { key: 'stackName', default: 'DropletScheduler' },
} as const;

/**
 * The CDK app behind `cdk synth` and `cdk deploy`: loads the policy file, builds the stack, and runs
 * cdk-nag so that a finding stops synth here rather than in review. A bad policy file prints the
 * loader's message (file:line:column path: what was expected and what was found) and exits 1.
 */
async function main(): Promise<void> {
  const app = new App();
  const context = (name: keyof typeof APP_CONTEXT): string => {
    const value: unknown = app.node.tryGetContext(APP_CONTEXT[name].key);
    return typeof value === 'string' && value !== '' ? value : APP_CONTEXT[name].default;
  };
  const policySet = await loadPolicyFile(context('policies'));
  new DropletSchedulerStack(app, context('stackName'), {
    description: `droplet-scheduler: ${policySet.policies.length} policies from ${policySet.file}`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    policies: policySet.policies,
    tokenSecretName: context('tokenSecretName'),
    ...notificationsFromContext((key) => app.node.tryGetContext(key)),
    teams: teamsFromContext((key) => app.node.tryGetContext(key)),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

main().catch((error: unknown) => {
  // Our own errors are for the user and say everything; anything else is a bug and keeps its stack.
  if (error instanceof DropletSchedulerError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});
