import { createInitiateHandler } from './initiate-handler';
import { awsRuntime } from './runtime/aws-runtime';
import { createLogger } from './runtime/logger';

export const handler = createInitiateHandler(awsRuntime, createLogger('droplet-scheduler-initiate'));
