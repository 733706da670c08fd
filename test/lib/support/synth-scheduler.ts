import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DropletScheduler, type DropletSchedulerProps } from '../../../lib';
import { STUB_BUNDLING_CONTEXT } from '../../../lib/handler-bundling';
import { samplePolicies } from './sample-policies';

export const TOKEN_SECRET_NAME = 'droplet-scheduler/digitalocean-token';

/** Props to change, or a function that makes them in the test stack (for resources such as a topic). */
export type Overrides = Partial<DropletSchedulerProps> | ((stack: Stack) => Partial<DropletSchedulerProps>);

export interface SynthesizedScheduler {
  readonly app: App;
  readonly stack: Stack;
  readonly scheduler: DropletScheduler;
  readonly template: Template;
}

/**
 * A stack with one DropletScheduler, bundling stubbed (the template differs only in the asset),
 * the secret referenced by name as the app does, and the sample policies unless others are given.
 */
export function buildScheduler(overrides: Overrides = {}): Omit<SynthesizedScheduler, 'template'> {
  const app = new App({ context: { [STUB_BUNDLING_CONTEXT]: true } });
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-central-1' } });
  const tokenSecret = secretsmanager.Secret.fromSecretNameV2(stack, 'Token', TOKEN_SECRET_NAME);
  const scheduler = new DropletScheduler(stack, 'DropletScheduler', {
    policies: samplePolicies(),
    tokenSecret,
    ...(typeof overrides === 'function' ? overrides(stack) : overrides),
  });
  return { app, stack, scheduler };
}

export function synthScheduler(overrides: Overrides = {}): SynthesizedScheduler {
  const built = buildScheduler(overrides);
  return { ...built, template: Template.fromStack(built.stack) };
}
