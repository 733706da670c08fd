import { dispatchRun } from './dispatch-run';
import { parsePolicy } from '../policy/parse-policy';
import { PolicyValidationError } from '../policy/policy-validation-error';
import type { UseCaseDependencies } from './use-case-dependencies';

/**
 * Finishes ticks whose dispatch crashed: the run is still `dispatching` past its deadline. The
 * run carries its policy, and `dispatchRun` takes it over (only one caller wins) and completes it
 * idempotently. A policy that no longer parses fails the run rather than the whole pass.
 */
export async function resumeAbandonedRuns(deps: UseCaseDependencies, now: Date): Promise<number> {
  const abandoned = await deps.ledger.findAbandonedRuns(now.toISOString(), { limit: 20 });
  let resumed = 0;
  for (const run of abandoned.items) {
    let policy;
    try {
      policy = parsePolicy(
        run.policyDefinition,
        `the abandoned run of ${run.policy} at ${run.scheduledTime}`,
      );
    } catch (error) {
      if (!(error instanceof PolicyValidationError)) throw error;
      await deps.ledger.updateRun(
        run,
        { status: 'failed', reason: error.message },
        { expectedStatus: 'dispatching' },
      );
      continue;
    }
    const outcome = await dispatchRun(deps, { policy, scheduledTime: run.scheduledTime });
    if (outcome.kind !== 'duplicate') resumed += 1;
  }
  return resumed;
}
