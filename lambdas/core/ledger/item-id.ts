import type { LedgerItem } from './ledger-record';
import { ledgerInputError } from './ledger-input-error';
import { canonicalTick, toLedgerTime } from './ledger-time';

/**
 * What a ledger item is about, independent of any database: its idempotency key. Each adapter lays
 * it out its own way (DynamoDB as partition and sort keys).
 */
export type ItemId =
  | { readonly kind: 'run'; readonly policy: string; readonly scheduledTime: string }
  | {
      readonly kind: 'action';
      readonly policy: string;
      readonly scheduledTime: string;
      readonly dropletId: number;
      /** Absent for the tick's first action; 1, 2, … for later steps. */
      readonly step?: number;
    }
  | {
      readonly kind: 'snapshot-deletion';
      readonly policy: string;
      readonly scheduledTime: string;
      readonly dropletId: number;
      readonly snapshotId: string;
    }
  /** Who owns a DigitalOcean action id: written once, by whoever adopts the action. */
  | { readonly kind: 'action-owner'; readonly actionId: number }
  /** A droplet's stable identity across parks: the id it had when first parked. */
  | { readonly kind: 'lineage'; readonly lineageId: number }
  /** Which lineage a droplet id belongs to. */
  | { readonly kind: 'lineage-alias'; readonly dropletId: number }
  /**
   * A snooze of a policy (or of one droplet in it). `until` is part of its identity, so that the
   * overrides still in force sort together and one narrow query finds them.
   */
  | { readonly kind: 'override'; readonly policy: string; readonly until: string; readonly key: string };

/** The run of one tick of one policy. */
export function runId(policy: string, scheduledTime: string): ItemId {
  return { kind: 'run', policy: policyName(policy), scheduledTime: canonicalTick(scheduledTime) };
}

/** One droplet's action in one tick (or a later step of it): the idempotency key of starting it. */
export function actionId(policy: string, scheduledTime: string, dropletId: number, step?: number): ItemId {
  return {
    kind: 'action',
    policy: policyName(policy),
    scheduledTime: canonicalTick(scheduledTime),
    dropletId: dropletNumber(dropletId),
    ...(step === undefined || step === 0 ? {} : { step: stepNumber(step) }),
  };
}

/** One retention deletion, under the tick whose snapshot triggered it. */
export function deletionId(
  policy: string,
  scheduledTime: string,
  dropletId: number,
  snapshotId: number | string,
): ItemId {
  if (String(snapshotId).length === 0) throw ledgerInputError('snapshotId', snapshotId, 'a snapshot id');
  return {
    kind: 'snapshot-deletion',
    policy: policyName(policy),
    scheduledTime: canonicalTick(scheduledTime),
    dropletId: dropletNumber(dropletId),
    snapshotId: String(snapshotId),
  };
}

export function lineageId(id: number): ItemId {
  return { kind: 'lineage', lineageId: dropletNumber(id) };
}

export function lineageAliasId(dropletId: number): ItemId {
  return { kind: 'lineage-alias', dropletId: dropletNumber(dropletId) };
}

export function ownerId(action: number): ItemId {
  if (!Number.isSafeInteger(action) || action <= 0) {
    throw ledgerInputError('actionId', action, 'a positive integer DigitalOcean action id');
  }
  return { kind: 'action-owner', actionId: action };
}

/** An override of `policy` in force until `until`; `key` tells apart overrides of one policy. */
export function overrideItemId(policy: string, until: string, key: string): ItemId {
  if (typeof key !== 'string' || !OVERRIDE_KEY.test(key)) {
    throw ledgerInputError('key', key, 'an override key of 4 to 16 lowercase letters and digits');
  }
  return { kind: 'override', policy: policyName(policy), until: toLedgerTime(until, 'until'), key };
}

const OVERRIDE_KEY = /^[a-z0-9]{4,16}$/;

/** The identity of a stored item. */
export function idOf(record: LedgerItem): ItemId {
  switch (record.kind) {
    case 'override':
      return overrideItemId(record.policy, record.until, record.key);
    case 'run':
      return runId(record.policy, record.scheduledTime);
    case 'action':
      return actionId(record.policy, record.scheduledTime, record.dropletId, record.step);
    case 'snapshot-deletion':
      return deletionId(record.policy, record.scheduledTime, record.dropletId, record.snapshotId);
    case 'lineage':
      return lineageId(record.lineageId);
    case 'lineage-alias':
      return lineageAliasId(record.dropletId);
  }
}

/**
 * One line that names an item, for events (with the status, the id consumers deduplicate on),
 * logs and errors: `nightly 2026-11-27T02:00:00.000Z droplet 42 step 1`.
 */
export function describeItem(id: ItemId): string {
  switch (id.kind) {
    case 'run':
      return `${id.policy} ${id.scheduledTime}`;
    case 'action':
      return `${id.policy} ${id.scheduledTime} droplet ${id.dropletId}${id.step ? ` step ${id.step}` : ''}`;
    case 'snapshot-deletion':
      return `${id.policy} ${id.scheduledTime} droplet ${id.dropletId} snapshot ${id.snapshotId}`;
    case 'action-owner':
      return `action ${id.actionId}`;
    case 'lineage':
      return `lineage ${id.lineageId}`;
    case 'lineage-alias':
      return `droplet ${id.dropletId} in its lineage`;
    case 'override':
      return `override ${id.policy}:${id.key}`;
  }
}

function policyName(policy: string): string {
  if (typeof policy !== 'string' || policy.length === 0) {
    throw ledgerInputError('policy', policy, 'a non-empty policy name');
  }
  return policy;
}

function dropletNumber(dropletId: number): number {
  if (!Number.isSafeInteger(dropletId) || dropletId <= 0) {
    throw ledgerInputError('dropletId', dropletId, 'a positive integer droplet id');
  }
  return dropletId;
}

function stepNumber(step: number): number {
  if (!Number.isSafeInteger(step) || step < 0) throw ledgerInputError('step', step, 'a step number >= 0');
  return step;
}
