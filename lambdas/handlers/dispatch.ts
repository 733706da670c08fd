import { createDispatchHandler } from './dispatch-handler';
import { awsRuntime } from './runtime/aws-runtime';
import { createLogger } from './runtime/logger';

export const handler = createDispatchHandler(awsRuntime, createLogger('droplet-scheduler-dispatch'));
