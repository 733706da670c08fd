import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** SQS-managed encryption and a policy that refuses every request not made over TLS, on every queue we create. */
export function createSecureQueue(scope: Construct, id: string, props: sqs.QueueProps = {}): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    ...props,
  });
}

/** A dead-letter queue keeps what it holds for SQS's maximum, 14 days: long enough to cover a holiday. */
export function createDeadLetterQueue(scope: Construct, id: string): sqs.Queue {
  return createSecureQueue(scope, id, { retentionPeriod: Duration.days(14) });
}
