import type { CliContext } from '../cli-context';
import { parseDuration } from '../local/parse-duration';
import type { WaitTimeoutFlags } from '../options/common-options';
import { ReachabilityWatchdog } from './reachability-watchdog';

/**
 * A watchdog on `apiUrl` with the command's `--wait-timeout`, and the signal that ends the
 * command's own waits. Start it once the client it watches exists, and stop it in a `finally`.
 */
export function watchReachability(
  flags: WaitTimeoutFlags,
  context: CliContext,
  apiUrl: string,
): { readonly watchdog: ReachabilityWatchdog; readonly signal: AbortSignal } {
  const watchdog = new ReachabilityWatchdog({
    apiUrl,
    timeoutMs: parseDuration('--wait-timeout', flags.waitTimeout),
    timeoutText: flags.waitTimeout,
  });
  // The command's own waits end on Ctrl-C and when the watchdog gives up, whichever comes first.
  return { watchdog, signal: AbortSignal.any([context.signal, watchdog.signal]) };
}
