import { Option, type Command } from 'commander';
import {
  BILLING_GRANULARITIES,
  DEFAULT_BILLING_GRANULARITY,
  isBillingGranularity,
  type BillingGranularity,
} from '../../lambdas/core/parking/droplet-billing';
import { UsageError } from '../usage-error';

/** `--billing`: how DigitalOcean rounds a droplet's time, for every saving a command prints. */
export interface BillingFlags {
  readonly billing: string;
}

/**
 * Adds `--billing hourly|per-second`. Checked by `parseBillingFlag` rather than commander's
 * choices, so that a wrong value gets the one-line message every other flag gets.
 */
export function addBillingOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--billing <granularity>',
      `how DigitalOcean bills a droplet's time, for savings: ${BILLING_GRANULARITIES.join(' or ')} ` +
        "(hourly: its pricing page, whole hours, one-hour minimum; per-second: its staff's word since 2026-01-01)",
    ).default(DEFAULT_BILLING_GRANULARITY),
  );
}

export function parseBillingFlag(raw: string): BillingGranularity {
  if (!isBillingGranularity(raw))
    throw new UsageError('--billing', raw, `one of ${BILLING_GRANULARITIES.join(', ')}`);
  return raw;
}
