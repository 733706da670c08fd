import { Stack, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { DropletScheduler } from './droplet-scheduler';
import type { DropletSchedulerProps } from './droplet-scheduler-props';

/** The construct's props, with the token's secret named rather than passed (the stack references it). */
export interface DropletSchedulerStackProps extends StackProps, Omit<DropletSchedulerProps, 'tokenSecret'> {
  /**
   * The name of an existing Secrets Manager secret whose `SecretString` is the DigitalOcean token.
   * The stack only references it: create it first (docs/deploy.md), and the token never passes through CloudFormation.
   */
  readonly tokenSecretName: string;
}

/** The stack `cdk deploy` creates: one `DropletScheduler`, reading the token from an existing secret. */
export class DropletSchedulerStack extends Stack {
  readonly scheduler: DropletScheduler;

  constructor(scope: Construct, id: string, props: DropletSchedulerStackProps) {
    super(scope, id, props);
    const tokenSecret = secretsmanager.Secret.fromSecretNameV2(this, 'TokenSecret', props.tokenSecretName);
    this.scheduler = new DropletScheduler(this, 'DropletScheduler', {
      policies: props.policies,
      tokenSecret,
      apiUrl: props.apiUrl,
      eventBus: props.eventBus,
      alarmTopic: props.alarmTopic,
      reconcileInterval: props.reconcileInterval,
      initiateConcurrency: props.initiateConcurrency,
      auditRetention: props.auditRetention,
      removalPolicy: props.removalPolicy,
      logRetention: props.logRetention,
    });
  }
}
