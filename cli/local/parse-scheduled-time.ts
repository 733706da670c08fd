import { UsageError } from '../usage-error';

/**
 * `--at ISO`: the tick to dispatch, the idempotency key of the run. ISO 8601 with a date and a
 * time; without an offset it is read as UTC, as `<aws.scheduler.scheduled-time>` always is.
 */
export function parseScheduledTime(raw: string): Date {
  const text = raw.trim();
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i;
  const instant = new Date(/(Z|[+-]\d{2}:\d{2})$/i.test(text) ? text : `${text}Z`);
  if (!iso.test(text) || Number.isNaN(instant.getTime())) {
    throw new UsageError('--at', raw, 'an ISO 8601 time such as 2026-11-27T02:00:00Z');
  }
  return instant;
}
