import type { ActionType } from '../actions/action-catalog';
import { powerStateAfterStep, type StepType } from '../workflow/workflow';
import type { AuditQueries } from '../ports/audit-queries';
import type { NewerAction } from '../state/transitions';

/** Types that change a droplet's power: a later step of one of them would undo a newer one. */
const POWER_TYPES: ReadonlySet<ActionType> = new Set([
  'power_on',
  'power_off',
  'shutdown',
  'reboot',
  'power_cycle',
]);

/** Items of one droplet read at most. */
const MAX_ITEMS = 500;

/**
 * The newest action of another tick (of any policy) on the droplet since the step before this one
 * started, when it conflicts with this step: for a power step or a park's destroy, any power
 * action. A later step
 * must never undo it (office-off's fallback must not power off what office-on turned on since).
 */
export async function newerActionOnDroplet(
  ledger: AuditQueries,
  step: {
    readonly policy: string;
    readonly scheduledTime: string;
    readonly dropletId: number;
    readonly type: StepType;
    readonly parentStartedAt: string;
  },
): Promise<NewerAction | undefined> {
  if (!conflicts(step.type)) return undefined;
  let newest: NewerAction | undefined;
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await ledger.queryByDroplet(step.dropletId, {
      from: step.parentStartedAt,
      limit: 100,
      cursor,
    });
    for (const item of page.items) {
      const sameTick = item.policy === step.policy && item.scheduledTime === step.scheduledTime;
      if (item.kind !== 'action' || sameTick || !changesPower(item.type)) continue;
      // Refused by DigitalOcean: that tick did nothing. Anything else, skipped "already on" included,
      // is what the newer tick wants the droplet to be.
      if (item.status === 'rejected') continue;
      newest = { policy: item.policy, scheduledTime: item.scheduledTime, type: item.type };
    }
    read += page.items.length;
    cursor = page.cursor;
  } while (cursor && read < MAX_ITEMS);
  return newest;
}

/** Whether a step must give way to a newer tick's power action: a power step, or a park's destroy. */
function conflicts(type: StepType): boolean {
  // A destroy would undo a newer tick's power action too: someone wanted the droplet since.
  return type === 'destroy' || changesPower(type);
}

function changesPower(type: StepType): boolean {
  return POWER_TYPES.has(type as ActionType) || powerStateAfterStep(type) !== undefined;
}
