import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { initiateAction } from '../core/use-cases/initiate-action';
import { initiateWorkItemSchema } from '../core/use-cases/initiate-work-item';
import type { UseCaseDependencies } from '../core/use-cases/use-case-dependencies';

/** The parts of an SQS event the handler reads. */
export interface SqsBatch {
  readonly Records: readonly { readonly messageId: string; readonly body: string }[];
}

/** Lambda's partial batch response: only the listed messages are retried. */
export interface SqsBatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

/**
 * The initiate Lambda: one work item per SQS message, processed together (the client's rate
 * limiter paces the calls). A message that fails, malformed or not, is reported on its own, so
 * that one poison message neither blocks nor repeats the rest; SQS moves it to the DLQ after its
 * receive count.
 */
export function createInitiateHandler(dependencies: () => Promise<UseCaseDependencies>, logger: Logger) {
  return async (event: SqsBatch, context?: Context): Promise<SqsBatchResponse> => {
    if (context) logger.addContext(context);
    const deps = await dependencies();
    const failures = await Promise.all(
      event.Records.map(async (record) => {
        try {
          const item = initiateWorkItemSchema.parse(JSON.parse(record.body));
          const outcome = await initiateAction(deps, item);
          logger.info('work item handled', {
            messageId: record.messageId,
            policy: item.policy,
            scheduledTime: item.scheduledTime,
            dropletId: item.dropletId,
            ...('actionId' in outcome ? { actionId: outcome.actionId } : {}),
            outcome: outcome.kind,
          });
          return undefined;
        } catch (error) {
          logger.error('work item failed', { messageId: record.messageId, error: describe(error) });
          return { itemIdentifier: record.messageId };
        }
      }),
    );
    return { batchItemFailures: failures.filter((failure) => failure !== undefined) };
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
