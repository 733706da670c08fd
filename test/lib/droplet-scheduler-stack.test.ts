import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DropletSchedulerStack } from '../../lib';
import { STUB_BUNDLING_CONTEXT } from '../../lib/handler-bundling';
import { samplePolicies } from './support/sample-policies';

let template: Template;

beforeAll(() => {
  const app = new App({ context: { [STUB_BUNDLING_CONTEXT]: true } });
  const stack = new DropletSchedulerStack(app, 'Deployed', {
    policies: samplePolicies(),
    tokenSecretName: 'team/do-token',
  });
  template = Template.fromStack(stack);
});

describe('DropletSchedulerStack', () => {
  test.each([
    'LedgerTableName',
    'DispatchFunctionName',
    'ScheduleGroupName',
    'SchedulerDeadLetterQueueUrl',
    'WorkDeadLetterQueueUrl',
    'DashboardName',
  ])('given the stack, when synthesized, then it outputs %s for the operator', (name) => {
    expect(Object.keys(template.findOutputs(name))).toEqual([name]);
  });

  test('given a secret name, when synthesized, then the functions read that secret by partial ARN and never take its value', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).toContain(':secret:team/do-token-??????');
    expect(json).toContain(':secret:team/do-token"');
    expect(json).not.toContain('SecretString');
  });
});
