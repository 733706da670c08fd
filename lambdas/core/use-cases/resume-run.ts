import type { RunRecord } from '../ledger/run-record';
import { runId } from '../ledger/item-id';
import { parsePolicy } from '../policy/parse-policy';
import { PolicyValidationError } from '../policy/policy-validation-error';
import { commit } from '../state/commit';
import { dispatchRun, type DispatchOutcome } from './dispatch-run';
import type { UseCaseDependencies } from './use-case-dependencies';

/**
 * Finishes a tick whose dispatch went away (its run's lease ended while `dispatching`) or failed
 * and is due for another try. The run carries its policy, so no policy file is needed; the
 * dispatch claims the run like any delivery of the tick, and resumes where the last one stopped. A
 * policy that no longer parses fails the run for good, with the reason.
 */
export async function resumeRun(
  deps: UseCaseDependencies,
  run: RunRecord,
): Promise<DispatchOutcome | undefined> {
  let policy;
  try {
    policy = parsePolicy(run.policyDefinition, `the run of ${run.policy} at ${run.scheduledTime}`);
  } catch (error) {
    if (!(error instanceof PolicyValidationError)) throw error;
    const claimed = await commit(
      deps,
      runId(run.policy, run.scheduledTime),
      { type: 'claim', init: initOf(run) },
      run,
    );
    if (claimed.ok) {
      const attempts = (claimed.item as RunRecord).attempts;
      await commit(
        deps,
        runId(run.policy, run.scheduledTime),
        { type: 'fail', attempts, reason: error.message, lastAttempt: 'not-sent' },
        claimed.item,
      );
    }
    return undefined;
  }
  return dispatchRun(deps, { policy, scheduledTime: run.scheduledTime });
}

function initOf(run: RunRecord) {
  return {
    kind: 'run' as const,
    policy: run.policy,
    team: run.team,
    scheduledTime: run.scheduledTime,
    type: run.type,
    mode: run.mode ?? 'per-droplet',
  };
}
