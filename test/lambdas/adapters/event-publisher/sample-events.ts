import { DETAIL_TYPES, type SchedulerEvent } from '../../../../lambdas/core/events/scheduler-event';

/** A failed-action event as the reconciler would publish it. */
export function failedEvent(dropletId: number): SchedulerEvent {
  return {
    detailType: DETAIL_TYPES.failed,
    detail: {
      eventId: `weekend-off 2026-11-27T19:00:00.000Z droplet ${dropletId}#timed-out`,
      policy: 'weekend-off',
      scheduledTime: '2026-11-27T19:00:00.000Z',
      dropletId,
      dropletName: `web-${dropletId}`,
      actionId: 1000 + dropletId,
      type: 'shutdown',
      status: 'timed-out',
      startedAt: '2026-11-27T19:00:02.000Z',
      completedAt: '2026-11-27T19:05:02.000Z',
      durationSeconds: 300,
      error: { code: 'timed_out', message: 'expected completed within 5 minutes, got: still in-progress' },
    },
  };
}
