import { DETAIL_TYPES, type SchedulerEvent } from './scheduler-event';

/**
 * What a person is told about an action that did not happen as its policy asked, one template per
 * notified detail-type, with `{path}` for a field of the event's detail. The deployed rules render
 * them with EventBridge input transformers (lib/notifications.ts) and `local --notify-webhook`
 * renders them here, so that both say the same: which policy and tick, which droplet (id and
 * name), what failed, and DigitalOcean's own message, or why the droplet was skipped.
 */
export const NOTIFICATION_TEMPLATES: Readonly<Record<string, string>> = {
  [DETAIL_TYPES.failed]:
    'droplet-scheduler: {policy} (tick {scheduledTime}): {type} of droplet {dropletId} ({dropletName}) ' +
    '{status} ({error.code}): {error.message}',
  [DETAIL_TYPES.skipped]:
    'droplet-scheduler: {policy} (tick {scheduledTime}): {type} of droplet {dropletId} ({dropletName}) ' +
    'skipped: {reason}',
};

/** Replaces each `{path}` of a template with `valueOf(path)`. */
export function fillTemplate(template: string, valueOf: (path: string) => string): string {
  return template.replace(/\{([A-Za-z.]+)\}/g, (_, path: string) => valueOf(path));
}

/**
 * The notification for an event, or undefined when its detail-type is not notified. A value is
 * written as EventBridge's input transformer writes it into text: a string as it is, anything else
 * (a number, null) as JSON.
 */
export function notificationText(event: SchedulerEvent): string | undefined {
  const template = NOTIFICATION_TEMPLATES[event.detailType];
  if (template === undefined) return undefined;
  return fillTemplate(template, (path) => {
    const value = path
      .split('.')
      .reduce<unknown>((at, key) => (at as Record<string, unknown> | null | undefined)?.[key], event.detail);
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  });
}
