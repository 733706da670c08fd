import { ACTION_CATALOG } from '../actions/action-catalog';
import type { Policy } from '../policy/policy';
import type { Workflow } from '../workflow/workflow';
import { parkSnapshotName } from './park-snapshot-name';

/** How long a snapshot for parking may take before the park is given up (and the droplet powered on). */
const PARK_SNAPSHOT_TIMEOUT_MINUTES = 6 * 60;

/** Our own parking steps: reads, and requests whose actions finish in seconds to minutes. */
const OPERATION_TIMEOUT_MINUTES = 30;

/** A created droplet may take this long to become active before the unpark is recorded timed out. */
const CREATE_TIMEOUT_MINUTES = 60;

/**
 * The steps that park one droplet, or unpark one parked droplet. Each is its own ledger item; each
 * starts only once the one before it has succeeded, and the irreversible ones (destroy, create,
 * the snapshot's deletion) check DigitalOcean afresh right before their request.
 *
 * park: inspect (what would be lost; record the droplet's specification) → shutdown, with the
 * power_off fallback → snapshot → confirm the snapshot is listed with a size → detach volumes →
 * destroy. Anything failing before the destroy powers the droplet back on.
 *
 * unpark: create from the park snapshot with the recorded specification and wait until active →
 * restore (reserved IP, volumes, firewalls, project) → delete the park snapshot unless kept.
 */
export function parkingWorkflow(
  policy: Policy,
  target: { readonly id: number; readonly lineageId?: number },
  scheduledTime: string,
): Workflow {
  const parking = policy.parking;
  if (parking === undefined) throw new RangeError(`${policy.name} is not a parking policy`);
  if (parking.role === 'unpark') {
    const lineage = { lineageId: target.lineageId ?? target.id };
    return {
      steps: [
        { type: 'create', params: lineage, timeoutMinutes: CREATE_TIMEOUT_MINUTES },
        { type: 'restore', params: lineage, timeoutMinutes: OPERATION_TIMEOUT_MINUTES },
        {
          type: 'delete-snapshot',
          params: { ...lineage, keep: parking.keepSnapshots },
          timeoutMinutes: OPERATION_TIMEOUT_MINUTES,
        },
      ],
    };
  }
  const name = parkSnapshotName(parking.parkPolicy, target.id, scheduledTime);
  return {
    steps: [
      {
        type: 'inspect',
        params: { allowIpChange: parking.allowIpChange, allowBackupLoss: parking.allowBackupLoss },
        timeoutMinutes: OPERATION_TIMEOUT_MINUTES,
      },
      { type: 'shutdown', timeoutMinutes: ACTION_CATALOG.shutdown.defaultTimeoutMinutes },
      {
        type: 'power_off',
        timeoutMinutes: ACTION_CATALOG.power_off.defaultTimeoutMinutes,
        afterFailure: true,
        unlessDroplet: 'off',
      },
      { type: 'snapshot', params: { name }, timeoutMinutes: PARK_SNAPSHOT_TIMEOUT_MINUTES },
      { type: 'confirm-snapshot', params: { name }, timeoutMinutes: OPERATION_TIMEOUT_MINUTES },
      { type: 'detach-volumes', timeoutMinutes: OPERATION_TIMEOUT_MINUTES },
      { type: 'destroy', timeoutMinutes: OPERATION_TIMEOUT_MINUTES },
    ],
    onFailure: { type: 'power_on', timeoutMinutes: ACTION_CATALOG.power_on.defaultTimeoutMinutes },
  };
}
