import path from 'node:path';
import {
  createLocalRuntime,
  type LocalRuntime,
  type LocalRuntimeOptions,
} from '../../lambdas/adapters/local/create-local-runtime';
import { EnvironmentTokenSource } from '../../lambdas/adapters/local/environment-token-source';
import type { CliContext } from '../cli-context';
import { DIGITALOCEAN_API_URL, type ApiFlags, type StoreFlags } from '../options/common-options';
import { registerSecret } from '../output';
import { UsageError } from '../usage-error';
import { openCliLedger } from './open-cli-ledger';

/** The API URL from `--api-url`, else DIGITALOCEAN_API_URL, else DigitalOcean's. */
export function resolveApiUrl(flags: ApiFlags, context: CliContext): string {
  const url = flags.apiUrl ?? context.env.DIGITALOCEAN_API_URL ?? DIGITALOCEAN_API_URL;
  if (!/^https?:\/\/[^\s]+$/.test(url))
    throw new UsageError(
      flags.apiUrl ? '--api-url' : 'DIGITALOCEAN_API_URL',
      url,
      'an http:// or https:// URL',
    );
  return url.replace(/\/+$/, '');
}

/**
 * Everything a command that acts needs (`run`, `reconcile`, `local`): the ledger the flags name,
 * the token from DIGITALOCEAN_TOKEN (registered so that output never shows it), the API, the
 * in-memory work queue and the event file in the store.
 */
export async function openCliRuntime(
  flags: StoreFlags & ApiFlags,
  context: CliContext,
  options: Pick<LocalRuntimeOptions, 'timeScale' | 'onEvent' | 'client' | 'notifyWebhook'> = {},
): Promise<LocalRuntime> {
  const token = await new EnvironmentTokenSource(context.env).getToken();
  registerSecret(token);
  const apiUrl = resolveApiUrl(flags, context);
  const opened = await openCliLedger(flags, context);
  try {
    const runtime = await createLocalRuntime({
      ...options,
      apiUrl,
      token,
      ledger: opened.ledger,
      // With --table the ledger is remote, but the store still keeps this machine's work-queue
      // journal and event file, so that a crash loses no queued item there either.
      storeDir: path.resolve(context.cwd, flags.store),
    });
    for (const damaged of runtime.damagedJournals) {
      context.output.note(
        context.output.colors.yellow(
          `warning: ${damaged.lines} line(s) of a queue journal could not be read (a crash or a full disk cut them short); ` +
            `kept as ${damaged.keptAs}. ` +
            (damaged.items.length > 0
              ? `The item(s) they held may never start: ${damaged.items.join('; ')} (audit --policy shows which droplets of a tick have no row)`
              : 'Any item they held may never start: audit --policy shows which droplets of a tick have no row'),
        ),
      );
    }
    return {
      ...runtime,
      close: async () => {
        await runtime.close();
        await opened.close();
      },
    };
  } catch (error) {
    await opened.close();
    throw error;
  }
}
