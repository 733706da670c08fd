import { DigitalOceanError, NotFoundError } from '../../lambdas/core/errors';
import { GRANULARITY_TEXT, type BillingGranularity } from '../../lambdas/core/parking/droplet-billing';
import { expectedSaving, type ExpectedSaving } from '../../lambdas/core/parking/expected-saving';
import { leftRunningReason, parkCandidates } from '../../lambdas/core/parking/park-candidates';
import { skipTagAmong, skipTagReason } from '../../lambdas/core/overrides/skip-tags';
import {
  parkingCalendar,
  scheduledParkedHours,
  type ParkingCalendar,
} from '../../lambdas/core/parking/parking-calendar';
import { addCosts } from '../../lambdas/core/parking/parking-cost';
import type { Policy } from '../../lambdas/core/policy';
import type { Droplet, DropletApi, Size } from '../../lambdas/core/ports/droplet-api';
import { hours, percent, usd, usdPerHour } from '../format/money';

/**
 * The most requests plan sends for savings beyond the tags it lists anyway, the sizes and a list of
 * reserved IPs per park policy: a `GET /v2/droplets/{id}` per droplet of a park policy by id, and a snapshot list
 * per droplet that has snapshots. The rest is left out (ids) or bounded by its disk (snapshots),
 * and the lines say so.
 */
const MAX_LOOKUPS = 50;

/** How long the saving's requests may take in all before plan says the saving is unknown. */
const DEADLINE_MS = 10_000;

/** After this long, plan says what it waits for. */
const QUIET_MS = 2_000;

/** What plan prints of each enabled park policy, by policy name. */
export interface PlanSavings {
  /** The `saving:` lines. */
  readonly lines: ReadonlyMap<string, readonly string[]>;
  /**
   * The droplets the park would leave running, because parking would lose what the policy does
   * not allow: `name (id): left running: parking would lose …`, the words the park tick records.
   */
  readonly leftRunning: ReadonlyMap<string, readonly string[]>;
}

/** What the saving lines need from plan. */
export interface SavingContext {
  readonly policies: readonly Policy[];
  /** Plan's `--from`: the estimate is for the twelve whole UTC months after it. */
  readonly from: Date;
  readonly granularity: BillingGranularity;
  /** DigitalOcean, when a token is set. */
  readonly api?: DropletApi;
  /** The droplets of each tag plan has listed. */
  readonly tagDroplets: ReadonlyMap<string, readonly Droplet[]>;
  /** A line on stderr, for a wait. */
  readonly note: (text: string) => void;
}

/** One droplet to estimate: its price and its snapshot's size, and where each came from. */
interface Estimated {
  readonly size: string;
  readonly price: { readonly hourly: number; readonly monthly: number };
  readonly snapshotGb: number;
  /** The snapshot's size is its disk's: an upper bound, since no snapshot of it exists yet. */
  readonly bounded: boolean;
}

/**
 * The `saving:` lines of every enabled park policy, by policy name: its expected monthly saving
 * for the droplets it targets now, with the hours, the cap, the snapshot and the granularity it
 * rests on; or, when it cannot be estimated, why, and what the schedule alone says. Never throws
 * for DigitalOcean's sake: plan goes on without the figure.
 */
export async function savingLines(context: SavingContext): Promise<PlanSavings> {
  const parks = context.policies.filter((policy) => policy.enabled && policy.parking?.role === 'park');
  const lines = new Map<string, string[]>();
  const leftRunning = new Map<string, string[]>();
  if (parks.length === 0) return { lines, leftRunning };
  const calendars = new Map(parks.map((park) => [park.name, calendarOf(park, context)]));
  const schedule = (park: Policy) => scheduleText(calendars.get(park.name)!);
  if (!context.api) {
    for (const park of parks)
      lines.set(park.name, [
        `unknown without DIGITALOCEAN_TOKEN (prices come from GET /v2/sizes); ${schedule(park)}`,
      ]);
    return { lines, leftRunning };
  }
  let found: Map<string, Found>;
  const quiet = setTimeout(
    () =>
      context.note(
        `waiting for DigitalOcean: droplet and snapshot sizes for the parking saving (at most ${DEADLINE_MS / 1000} s)`,
      ),
    QUIET_MS,
  );
  try {
    found = await lookUp(parks, context.api, context.tagDroplets, Date.now() + DEADLINE_MS);
  } catch (error) {
    if (!(error instanceof DigitalOceanError)) throw error;
    const reason = error.message.split('\n')[0];
    for (const park of parks)
      lines.set(park.name, [`unknown: DigitalOcean did not answer for it (${reason}); ${schedule(park)}`]);
    return { lines, leftRunning };
  } finally {
    clearTimeout(quiet);
  }
  for (const park of parks) {
    const entry = found.get(park.name)!;
    lines.set(park.name, policyLines(park, entry, calendars.get(park.name)!, context));
    if (entry.leftRunning.length > 0) leftRunning.set(park.name, [...entry.leftRunning]);
  }
  return { lines, leftRunning };
}

function calendarOf(park: Policy, context: SavingContext): ParkingCalendar {
  const unpark = context.policies.find(
    (policy) => policy.parking?.role === 'unpark' && policy.parking.parkPolicy === park.name,
  );
  return parkingCalendar(park, unpark, { from: context.from });
}

function scheduleText(calendar: ParkingCalendar): string {
  const { parkedHours, monthHours } = scheduledParkedHours(calendar);
  return `by its schedule it parks ${hours(parkedHours)} of an average ${hours(monthHours)} month (${percent((parkedHours / monthHours) * 100)})`;
}

/** What plan found of one park policy's droplets. */
interface Found {
  readonly estimated: readonly Estimated[];
  /** What the policy targets, in words, for "no droplets". */
  readonly targets: string;
  /** Droplets not estimated, and why, in words. */
  readonly leftOut: readonly string[];
  /** The droplets the park would leave running, each with its reason. */
  readonly leftRunning: readonly string[];
}

async function lookUp(
  parks: readonly Policy[],
  api: DropletApi,
  tagDroplets: ReadonlyMap<string, readonly Droplet[]>,
  deadline: number,
): Promise<Map<string, Found>> {
  let lookups = 0;
  const droplets = new Map<
    string,
    { list: Droplet[]; leftOut: string[]; leftRunning: string[]; targets: string }
  >();
  for (const park of parks) {
    const leftOut: string[] = [];
    let list: Droplet[] = [];
    let targets: string;
    if ('tag' in park.targets) {
      targets = `tag ${park.targets.tag}`;
      list = [...(tagDroplets.get(park.targets.tag) ?? [])];
    } else {
      const ids = park.targets.dropletIds;
      targets = `droplet${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`;
      const missing: number[] = [];
      for (const id of ids) {
        if (lookups >= MAX_LOOKUPS) {
          leftOut.push(
            `${ids.length - ids.indexOf(id)} not looked up (plan reads at most ${MAX_LOOKUPS} droplets)`,
          );
          break;
        }
        lookups += 1;
        try {
          list.push(await api.getDroplet(id, { deadline }));
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          missing.push(id);
        }
      }
      if (missing.length > 0)
        leftOut.push(`${missing.length} not on DigitalOcean now (${missing.join(', ')}; parked, or gone)`);
    }
    droplets.set(park.name, { list, leftOut, leftRunning: [], targets });
  }
  // A droplet carrying a skip tag is left alone by the park: it saves nothing.
  for (const park of parks) {
    const entry = droplets.get(park.name)!;
    const tagged = entry.list.filter((droplet) => skipTagAmong(park.name, droplet.tags) !== undefined);
    for (const droplet of tagged)
      entry.leftRunning.push(
        `${droplet.name} (${droplet.id}): ${skipTagReason(skipTagAmong(park.name, droplet.tags)!)}`,
      );
    if (tagged.length > 0)
      entry.leftOut.push(`${tagged.length} left alone by a skip tag (docs/overrides.md)`);
    entry.list = entry.list.filter((droplet) => !tagged.includes(droplet));
  }
  // A droplet that would lose what its policy does not allow is left running by the park: it saves nothing.
  for (const park of parks) {
    const entry = droplets.get(park.name)!;
    if (entry.list.length === 0) continue;
    const { candidates } = await parkCandidates(api, park, entry.list, { deadline });
    const parked = candidates.filter((candidate) => candidate.losses.length === 0).map((c) => c.droplet);
    for (const { droplet, losses } of candidates)
      if (losses.length > 0)
        entry.leftRunning.push(`${droplet.name} (${droplet.id}): ${leftRunningReason(losses)}`);
    const skipped = entry.list.length - parked.length;
    if (skipped > 0)
      entry.leftOut.push(
        `${skipped} the park would leave running, since ${skipped === 1 ? 'it' : 'they'} would lose what the policy does not allow`,
      );
    entry.list = parked;
  }
  const all = [...droplets.values()].flatMap((entry) => entry.list);
  const sizes = new Map<string, Size>();
  if (all.length > 0) {
    for await (const page of api.listSizes({ deadline })) for (const size of page) sizes.set(size.slug, size);
  }
  const snapshotGb = new Map<number, number>();
  for (const droplet of all) {
    if (droplet.snapshotIds.length === 0 || snapshotGb.has(droplet.id) || lookups >= MAX_LOOKUPS) continue;
    lookups += 1;
    let newest: { createdAt: string; sizeGigabytes: number } | undefined;
    for await (const page of api.listDropletSnapshots(droplet.id, { deadline }))
      for (const snapshot of page)
        if (newest === undefined || snapshot.createdAt > newest.createdAt) newest = snapshot;
    if (newest) snapshotGb.set(droplet.id, newest.sizeGigabytes);
  }
  const result = new Map<string, Found>();
  for (const [name, { list, leftOut, leftRunning, targets }] of droplets) {
    const estimated: Estimated[] = [];
    let unpriced = 0;
    for (const droplet of list) {
      const size = sizes.get(droplet.sizeSlug);
      const hourly = size?.priceHourly ?? droplet.priceHourly;
      const monthly = size?.priceMonthly ?? droplet.priceMonthly;
      if (hourly === undefined || monthly === undefined) {
        unpriced += 1;
        continue;
      }
      const measured = snapshotGb.get(droplet.id);
      estimated.push({
        size: droplet.sizeSlug,
        price: { hourly, monthly },
        snapshotGb: measured ?? droplet.diskGb,
        bounded: measured === undefined,
      });
    }
    if (unpriced > 0) leftOut.push(`${unpriced} of a size GET /v2/sizes does not price`);
    result.set(name, { estimated, leftOut, leftRunning, targets });
  }
  return result;
}

function policyLines(
  park: Policy,
  found: Found,
  calendar: ParkingCalendar,
  context: SavingContext,
): string[] {
  const leftOut = found.leftOut.length > 0 ? ` (left out: ${found.leftOut.join('; ')})` : '';
  if (found.estimated.length === 0)
    return [
      `none to estimate: ${found.targets} has no droplet to park now${leftOut}; droplets parked now are not on DigitalOcean, and audit --savings counts what parking saved them; ${scheduleText(calendar)}`,
    ];
  const keepSnapshots = park.parking?.keepSnapshots ?? 0;
  const cache = new Map<string, ExpectedSaving>();
  const savings = found.estimated.map((droplet) => {
    const key = `${droplet.price.hourly}/${droplet.price.monthly}/${droplet.snapshotGb}`;
    let saving = cache.get(key);
    if (!saving) {
      saving = expectedSaving(calendar, {
        price: droplet.price,
        snapshotGb: droplet.snapshotGb,
        granularity: context.granularity,
        keepSnapshots,
      });
      cache.set(key, saving);
    }
    return saving;
  });
  const total = addCosts(savings);
  const count = found.estimated.length;
  const bounded = found.estimated.filter((droplet) => droplet.bounded).length;
  const first = savings[0]!;
  const atLeast = bounded > 0 ? 'at least ' : '';
  const what = `${count} droplet${count === 1 ? '' : 's'}${leftOut}`;
  const headline = total.costsMore
    ? `none: parking costs ${usd(-total.saving)} a month MORE than leaving ${count === 1 ? 'it' : 'them'} as ${count === 1 ? 'it is' : 'they are'} (${usd(total.withParking)} against ${usd(total.withoutParking)}), ${what}`
    : `${atLeast}${usd(total.saving)} a month (${atLeast}${percent(total.savingPct)} of ${usd(total.withoutParking)}), ${what}`;
  const gb = found.estimated.reduce((sum, droplet) => sum + droplet.snapshotGb, 0);
  const running =
    first.dropletsCreated > 0
      ? `running ${range(
          savings.map((saving) => saving.dropletHours),
          hours,
        )} billed a month${count === 1 ? '' : ' each'}, as ${Number(first.dropletsCreated.toFixed(1))} droplets a month (every unpark creates one, billed on its own until its destroy ~${range(
          savings.map((saving) => saving.parkMinutes),
          (minutes) => `${Math.round(minutes)}`,
        )} min after the park tick)`
      : 'never unparked (no enabled unpark policy)';
  const snapshotSource =
    bounded === 0
      ? `estimate from ${count === 1 ? 'its' : 'their'} newest snapshot`
      : bounded === count
        ? `at most ${count === 1 ? 'its' : 'their'} disk: no snapshot of ${count === 1 ? 'it' : 'them'} yet to measure`
        : `${count - bounded} estimated from their newest snapshot, ${bounded} at most their disk (no snapshot yet)`;
  const kept = keepSnapshots > 0 ? `, ${keepSnapshots} kept per droplet all month (keepSnapshots)` : '';
  return [
    `${headline}; ${GRANULARITY_TEXT[context.granularity]}`,
    `prices: ${pricesText(found.estimated)}, each capped at its monthly price (GET /v2/sizes)`,
    `parked ${hours(first.parkedHours)} of an average ${hours(first.monthHours)} month; ${running}`,
    `snapshots: ${Number(gb.toFixed(1))} GB (${snapshotSource})${kept}, ${usd(total.snapshotCost)} a month at $0.06 per GB-month`,
  ];
}

/** `8.8 h`, or `8.8 h to 9 h` when the droplets differ. */
function range(values: readonly number[], show: (value: number) => string): string {
  const low = show(Math.min(...values));
  const high = show(Math.max(...values));
  return low === high ? low : `${low} to ${high}`;
}

/** `s-4vcpu-8gb $0.07143/h ($48.00 a month)`, or counts per size when there are several. */
function pricesText(estimated: readonly Estimated[]): string {
  const bySize = new Map<string, { count: number; price: Estimated['price'] }>();
  for (const droplet of estimated) {
    const entry = bySize.get(droplet.size) ?? { count: 0, price: droplet.price };
    entry.count += 1;
    bySize.set(droplet.size, entry);
  }
  return [...bySize]
    .map(
      ([size, { count, price }]) =>
        `${estimated.length > 1 ? `${count} × ` : ''}${size} ${usdPerHour(price.hourly)} (${usd(price.monthly)} a month)`,
    )
    .join(', ');
}
