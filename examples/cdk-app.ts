// A CDK app that deploys droplet-scheduler from the npm package, the way your own app would:
//
//   npm install droplet-scheduler aws-cdk-lib constructs
//   npm install --save-dev aws-cdk typescript @types/node
//   npx tsc && npx cdk deploy          (cdk.json: { "app": "node bin/app.js" })
//
// The handlers ship pre-bundled inside the package: `cdk synth` needs neither esbuild nor Docker.
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DropletScheduler, PolicyValidationError, loadPolicyFile } from 'droplet-scheduler';

async function main(): Promise<void> {
  const app = new App();
  const stack = new Stack(app, 'DropletSchedulerExample', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  // The same file `npx droplet-scheduler validate -f policies.yaml` checks, with the same messages.
  const { policies } = await loadPolicyFile(process.env.POLICIES_FILE ?? 'policies.yaml');
  new DropletScheduler(stack, 'Droplets', {
    policies,
    // Create the secret first (docs/deploy.md); only its name goes into the template.
    tokenSecret: secretsmanager.Secret.fromSecretNameV2(
      stack,
      'Token',
      'droplet-scheduler/digitalocean-token',
    ),
  });
}

main().catch((error: unknown) => {
  if (error instanceof PolicyValidationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});
