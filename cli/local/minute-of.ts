import { canonicalTick } from '../../lambdas/core/ledger/ledger-time';

/**
 * The instant truncated to its minute: EventBridge's precision, and the scheduled time `run` and
 * `local --run-now` dispatch under, so that starting twice in one minute is one tick, not two.
 */
export function minuteOf(instant: Date): Date {
  return new Date(canonicalTick(instant));
}
