/**
 * The parking steps that cannot be taken back (destroy, create, the park snapshot's deletion),
 * explored over seeded interleavings: deliveries twice, SQS workers, overlapping reconcile passes,
 * crash points at every await, lost answers, requests landing after their connection dropped, and
 * clock jumps past a lease. Each schedule then recovers without faults, and the verdicts check what
 * DigitalOcean received against the ledger (see `explore-parking.ts`).
 *
 * `npm test` runs the schedules below. More seeds: `EXPLORE_SEEDS=5000 npx jest parking-interleavings`
 * runs that many per scenario, and searches that many for each removed guard.
 *
 * Races this explorer found, each closed in the commit that names it; the seed shows it again with
 * that fix reverted (and no other change), as of the merge of main after them (main's changes to
 * the retry timing moved the seeds the commits name):
 * - park 71, two-unparks 6 and 7: a late destroy or create given up blind though its request had
 *   landed (the lineage left `parking` with its droplet gone; a droplet running with its create
 *   timed out and no alias). Closed by `settleOnly` (`start-operation.ts`); reverted by emptying
 *   `SETTLED_WHEN_LATE`.
 * - unpark 35: a create recorded by one attempt, refused to the other attempt of the same unpark;
 *   unpark 13: a create recorded, its alias never (the attempt died between the two).
 */
import {
  exploreParking,
  type ParkingMutation,
  type ParkingScenario,
} from '../../../support/explorer/explore-parking';

/** Schedules per scenario, and seeds searched per removed guard, when `EXPLORE_SEEDS` is set. */
const EXPLORE_SEEDS = Number(process.env.EXPLORE_SEEDS ?? 0);
if (!Number.isInteger(EXPLORE_SEEDS) || EXPLORE_SEEDS < 0)
  throw new RangeError(`EXPLORE_SEEDS: expected a whole number of seeds, got ${process.env.EXPLORE_SEEDS}`);

/** Each scenario, its schedules per run of `npm test`, and what it puts together. */
const SCENARIOS: readonly [ParkingScenario, number, string][] = [
  ['park', 300, 'two deliveries of the snapshot step, SQS running the steps after it, a reconciler'],
  [
    'park-by-hand',
    200,
    'two deliveries of the snapshot step, SQS running the steps after it, a reconciler, and a person deleting the snapshot or powering the droplet on',
  ],
  ['unpark', 300, 'two deliveries of the create step, SQS running restore and delete-snapshot, a reconciler'],
  ['two-unparks', 300, "the schedule's unpark near the end of its window and a run --at of the next minute"],
];

/**
 * Each guard of the irreversible steps, the scenario that needs it, the first seed found to show
 * it (the search starts there, so that `npm test` stays fast, and goes on should the schedules
 * change), and the violation that shows it.
 */
const MUTATIONS: readonly [ParkingMutation, ParkingScenario, number, RegExp, string][] = [
  [
    'no-snapshot-recheck',
    'park-by-hand',
    128,
    /destroyed without its snapshot/,
    'the droplet is destroyed after its snapshot was deleted',
  ],
  ['no-name-lookup', 'unpark', 1, /duplicate/, 'a create whose answer was lost is sent again'],
  ['no-deadline', 'unpark', 1, /duplicate/, "a create held up past its claim lands beside the next claim's"],
  [
    'no-reservation',
    'two-unparks',
    564,
    /duplicate/,
    'two unparks that both read the lineage parked both create',
  ],
  [
    'no-takeover-check',
    'two-unparks',
    2538,
    /duplicate/,
    "an unpark takes the lineage over while the other's create is in flight",
  ],
];

/** Seeds tried at most, from the recorded one, to find what a removed guard lets through. */
const MUTATION_SEARCH = EXPLORE_SEEDS || 500;

describe('parking, explored over interleavings with crash points and lost answers at every await', () => {
  it.each(SCENARIOS)(
    'never destroys without the snapshot, never creates twice, leaves no orphan: %s over %d schedules (%s)',
    async (scenario, schedules) => {
      const failures: string[] = [];
      for (let seed = 1; seed <= (EXPLORE_SEEDS || schedules) && failures.length < 3; seed += 1) {
        const { violations } = await exploreParking(scenario, seed);
        if (violations.length > 0) failures.push(`seed ${seed}: ${violations.join('; ')}`);
      }
      expect(failures).toEqual([]);
    },
    600_000,
  );

  it.each(MUTATIONS)(
    'finds the violation when the guard is removed: %s in %s, from seed %d (%s)',
    async (mutation, scenario, from, shows) => {
      let found: string | undefined;
      for (let seed = from; seed < from + MUTATION_SEARCH && found === undefined; seed += 1) {
        const { violations } = await exploreParking(scenario, seed, mutation);
        found = violations.find((violation) => shows.test(violation));
      }
      expect(found).toMatch(shows);
    },
    600_000,
  );
});
