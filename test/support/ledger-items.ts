import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { actionId, runId, type ItemId } from '../../lambdas/core/ledger/item-id';
import type { LedgerRecord } from '../../lambdas/core/ledger/ledger-record';
import type { LedgerStore } from '../../lambdas/core/ports/ledger-store';
import { commit } from '../../lambdas/core/state/commit';
import type { NewAction } from '../../lambdas/core/state/new-item';
import { Timing } from '../../lambdas/core/state/timing';
import type { OverrideRecord } from '../../lambdas/core/ledger/override-record';
import type { NewOverride } from '../../lambdas/core/state/new-item';
import { overrideItemId } from '../../lambdas/core/ledger/item-id';
import type { OverrideEvent } from '../../lambdas/core/state/commit';
import type { LedgerEvent } from '../../lambdas/core/state/transitions';

/**
 * Writes ledger items for a test's Prepare step the only way the project writes them: through the
 * state machine. Fails the test when the state machine refuses.
 */
export async function applyEvent(
  ledger: LedgerStore,
  id: ItemId,
  event: Exclude<LedgerEvent, OverrideEvent>,
  options: { now?: Date; timing?: Timing } = {},
): Promise<LedgerRecord> {
  const result = await commit(
    { ledger, now: () => options.now ?? new Date(), timing: options.timing ?? new Timing() },
    id,
    event,
  );
  if (!result.ok)
    throw new Error(`expected ${event.type} on ${JSON.stringify(id)} to be allowed, got: ${result.refusal}`);
  return result.item;
}

/** Claims a tick's run, as a dispatch would. */
export function claimRun(
  ledger: LedgerStore,
  policy: string,
  scheduledTime: string,
  options: { now?: Date; timing?: Timing } = {},
): Promise<LedgerRecord> {
  return applyEvent(
    ledger,
    runId(policy, scheduledTime),
    { type: 'claim', init: { kind: 'run', policy, scheduledTime, type: 'reboot', mode: 'per-droplet' } },
    options,
  );
}

/** Claims one droplet's action, as initiate would just before its POST. */
export async function claimAction(
  ledger: LedgerStore,
  init: Partial<NewAction> & Pick<NewAction, 'policy' | 'scheduledTime' | 'dropletId'>,
  options: { now?: Date; timing?: Timing } = {},
): Promise<ActionRecord> {
  const full: NewAction = { kind: 'action', type: 'reboot', mode: 'per-droplet', ...init };
  return (await applyEvent(
    ledger,
    actionId(full.policy, full.scheduledTime, full.dropletId, full.step),
    { type: 'claim', init: full },
    options,
  )) as ActionRecord;
}

/** Writes a snooze, as `droplet-scheduler snooze` would. */
export async function snoozeOverride(
  ledger: LedgerStore,
  init: Omit<NewOverride, 'kind' | 'key'> & { readonly key?: string },
  options: { now?: Date; timing?: Timing } = {},
): Promise<OverrideRecord> {
  const full: NewOverride = { kind: 'override', key: 'test01', ...init };
  const result = await commit(
    { ledger, now: () => options.now ?? new Date(), timing: options.timing ?? new Timing() },
    overrideItemId(full.policy, full.until, full.key),
    { type: 'snooze', init: full },
  );
  if (!result.ok) throw new Error(`expected the snooze to be written, got: ${result.refusal}`);
  return result.item;
}
