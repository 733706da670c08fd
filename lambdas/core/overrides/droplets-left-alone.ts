import { formatOverrideId, isOverrideActive, type OverrideRecord } from '../ledger/override-record';
import type { Policy } from '../policy/policy';
import type { AuditQueries } from '../ports/audit-queries';
import type { Droplet, DropletApi } from '../ports/droplet-api';
import { zoneClock } from '../schedule/zone-clock';
import { skipTagAmong, skipTagReason, skipTagsOf } from './skip-tags';

/** The one ledger query the lookup needs: a policy's overrides still in force. */
export type OverrideQuery = Pick<AuditQueries, 'queryOverrides'>;

/** Pages of a policy's overrides read per tick, at most; a person writes a handful. */
const OVERRIDE_PAGES = 5;

/** What dispatch knows of a target: its id, and its tags when it listed them. */
export interface TargetTags {
  readonly id: number;
  readonly tags?: readonly string[];
}

/**
 * What a tick of a policy must leave alone, found once per tick: the whole tick (a snooze of the
 * policy in force), or some droplets (a snooze of the droplet, or a skip tag), each with the reason
 * the ledger records.
 */
export interface LeftAlone {
  /** Why the whole tick is skipped: a snooze of the policy in force at the tick. */
  readonly tickReason?: string;
  /** Why a target is left alone (its id, or its tags when listed), or undefined: act on it. */
  reasonFor(target: TargetTags): string | undefined;
  /** The droplet as a skip-tag list showed it (its name, for the ledger), when it did. */
  listed(dropletId: number): Droplet | undefined;
  /**
   * Whether a bulk request on `tag` would reach a droplet to leave alone: true or false when the
   * skip-tag lists settle it, undefined when only the tag's own list can tell (a droplet snooze is
   * in force, and the droplet carries no skip tag).
   */
  touchesTag(tag: string): boolean | undefined;
  /** Droplet list requests this lookup sent (the skip-tag lists, with their pages). */
  readonly listRequests: number;
}

export interface LeftAloneOptions {
  /**
   * List the droplets carrying a skip tag (`GET /v2/droplets?tag_name=`, one list per skip tag,
   * paginated). Not needed when dispatch lists the target tag itself: that list carries every
   * droplet's tags.
   */
  readonly listSkipTags: boolean;
}

/**
 * Finds what one tick must leave alone, at a cost that does not grow with the targets: one ledger
 * query for the policy's overrides still in force, and, when asked, one droplet list per skip tag
 * (a page per 200 droplets carrying it, usually one).
 */
export async function findLeftAlone(
  deps: { readonly api: DropletApi; readonly ledger: OverrideQuery },
  policy: Policy,
  scheduledTime: string,
  options: LeftAloneOptions,
): Promise<LeftAlone> {
  // Independent reads, sent together: the tick's claim waits for the slowest, not for their sum.
  const [overrides, ...lists] = await Promise.all([
    overridesInForce(deps, policy.name, scheduledTime),
    ...(options.listSkipTags ? skipTagsOf(policy.name).map((tag) => listSkipTagged(deps, tag)) : []),
  ]);
  overrides.sort((a, b) => Date.parse(b.until) - Date.parse(a.until));
  const wholePolicy = overrides.find((override) => override.dropletId === undefined);
  const listRequests = lists.reduce((sum, list) => sum + list.pages, 0);
  if (wholePolicy !== undefined) {
    return {
      tickReason: snoozeReason(wholePolicy, policy.timezone),
      reasonFor: () => undefined,
      listed: () => undefined,
      touchesTag: () => false,
      listRequests,
    };
  }
  const snoozed = new Map<number, string>();
  for (const override of overrides) {
    if (override.dropletId !== undefined && !snoozed.has(override.dropletId))
      snoozed.set(override.dropletId, snoozeReason(override, policy.timezone));
  }
  // The global tag first: its reason wins when a droplet carries both.
  const tagged = new Map<number, { readonly tag: string; readonly droplet: Droplet }>();
  for (const { tag, droplets } of lists) {
    for (const droplet of droplets) if (!tagged.has(droplet.id)) tagged.set(droplet.id, { tag, droplet });
  }
  return {
    reasonFor: (target) => {
      const tag = tagged.get(target.id)?.tag ?? skipTagAmong(policy.name, target.tags);
      return tag !== undefined ? skipTagReason(tag) : snoozed.get(target.id);
    },
    listed: (dropletId) => tagged.get(dropletId)?.droplet,
    touchesTag: (tag) => {
      if ([...tagged.values()].some(({ droplet }) => droplet.tags.includes(tag))) return true;
      return [...snoozed.keys()].some((id) => !tagged.has(id)) ? undefined : false;
    },
    listRequests,
  };
}

async function listSkipTagged(
  deps: { readonly api: DropletApi },
  tag: string,
): Promise<{ tag: string; droplets: Droplet[]; pages: number }> {
  const droplets: Droplet[] = [];
  let pages = 0;
  for await (const page of deps.api.listDroplets({ tag })) {
    pages += 1;
    droplets.push(...page);
  }
  return { tag, droplets, pages };
}

/** The policy's overrides that apply to a tick at `scheduledTime`: active, and `until` after it. */
async function overridesInForce(
  deps: { readonly ledger: OverrideQuery },
  policy: string,
  scheduledTime: string,
): Promise<OverrideRecord[]> {
  const found: OverrideRecord[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < OVERRIDE_PAGES; page += 1) {
    const next = await deps.ledger.queryOverrides(policy, { expiringAfter: scheduledTime, cursor });
    found.push(...next.items.filter((override) => isOverrideActive(override, scheduledTime)));
    cursor = next.cursor;
    if (cursor === undefined) break;
  }
  return found;
}

/** `snoozed until 2026-11-27 22:00 (Europe/Berlin) by override weekend-off:k3x9q2: "deploy"`. */
export function snoozeReason(override: OverrideRecord, timezone: string): string {
  const wall = new Date(zoneClock(timezone).wallAt(Date.parse(override.until))).toISOString();
  const local = `${wall.slice(0, 10)} ${wall.slice(11, 16)}`;
  const why = override.reason ? `: ${JSON.stringify(override.reason)}` : '';
  return `snoozed until ${local} (${timezone}) by override ${formatOverrideId(override)}${why}`;
}
