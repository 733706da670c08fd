import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbActionLedger } from '../../lambdas/adapters/dynamodb/dynamodb-action-ledger';
import { DynaliteLedger } from '../../lambdas/adapters/local/dynalite-ledger';
import { openLocalLedger, type OpenLedger } from '../../lambdas/adapters/local/open-local-ledger';
import type { CliContext } from '../cli-context';
import type { StoreFlags } from '../options/common-options';
import { UsageError } from '../usage-error';

/**
 * Opens the ledger the flags name: a deployed table (`--table`, with the AWS SDK's usual
 * credentials) or the local store (`--store`), shared with a local scheduler already serving it.
 */
export async function openCliLedger(flags: StoreFlags, context: CliContext): Promise<OpenLedger> {
  if (flags.table === undefined) {
    for (const flag of ['region', 'endpoint'] as const) {
      if (flags[flag] !== undefined)
        throw new UsageError(`--${flag}`, flags[flag], 'it only together with --table');
    }
    return openLocalLedger({ storeDir: path.resolve(context.cwd, flags.store) });
  }
  const region = flags.region ?? context.env.AWS_REGION ?? context.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('--region', 'nothing', 'the AWS region of --table (or AWS_REGION)');
  if (flags.endpoint !== undefined && !/^https?:\/\//.test(flags.endpoint)) {
    throw new UsageError('--endpoint', flags.endpoint, 'an http:// or https:// URL');
  }
  const client = new DynamoDBClient({ region, endpoint: flags.endpoint });
  return {
    // An --endpoint is DynamoDB Local or dynalite, whose index entries need spread-out dueAt values.
    ledger:
      flags.endpoint === undefined
        ? new DynamoDbActionLedger({ client, tableName: flags.table })
        : new DynaliteLedger({ client, tableName: flags.table }),
    endpoint: flags.endpoint ?? `dynamodb.${region}`,
    shared: true,
    close: async () => client.destroy(),
  };
}
