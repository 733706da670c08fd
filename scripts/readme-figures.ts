import { meetsGoal, type Goal } from '../bench/figure';

/** The headline figures the README shows, in order, with what each means and its goal. */
const HEADLINES: readonly { name: string; label: string; unit: string; goal?: Goal }[] = [
  {
    name: 'initiate.pacing_ratio',
    label: "10,000 actions by id: simulated time over the rate limits' minimum for the tick's requests",
    unit: '×',
    goal: { max: 1.05 },
  },
  { name: 'initiate.rate_limited_responses', label: '429s while starting them', unit: '', goal: { max: 0 } },
  {
    name: 'initiate.ledger_writes_per_action',
    label: 'ledger writes per action up to in-progress',
    unit: '',
    goal: { max: 2 },
  },
  {
    name: 'bulk.api_requests',
    label: 'requests for power_off on a tag of 10,000 (1 bulk POST, 2 skip-tag lists)',
    unit: '',
    goal: { max: 3 },
  },
  {
    name: 'reconcile.detection_delay_p95_pct',
    label: "1,000 snapshots: finished → ledger, p95, of each one's duration",
    unit: '%',
    goal: { max: 10 },
  },
  {
    name: 'reconcile.quick_detection_p95_s',
    label: '1,000 power actions: finished → ledger, p95',
    unit: 's',
    goal: { max: 60 },
  },
  {
    name: 'reconcile.budget_share',
    label: "reconciler's busiest hour, of the token's hourly limit",
    unit: '',
    goal: { max: 0.1 },
  },
  {
    name: 'reconcile.api_calls_per_action',
    label: 'reconciler requests per settled action',
    unit: '',
  },
  {
    name: 'reconcile.detection_delay_p95_pct_10k',
    label: '10,000 snapshots at full rate: finished → ledger, p95, at a 10% share',
    unit: '%',
  },
  {
    name: 'scale.teams_fairness',
    label: '5 teams × 20,000 droplets: slowest makespan over its own bound',
    unit: '×',
    goal: { max: 1.05 },
  },
  {
    name: 'client.pacing_ratio',
    label: '1,000 requests: wall time over the rate limit minimum',
    unit: '×',
    goal: { max: 1.05 },
  },
  { name: 'audit.query_p95_ms', label: 'audit query p95 over 100,000 items', unit: 'ms', goal: { max: 100 } },
  { name: 'local.rss_mb', label: 'local scheduler memory, 10,000 droplets', unit: 'MB', goal: { max: 200 } },
  { name: 'bundle.initiate_kb', label: 'initiate Lambda bundle', unit: 'KiB', goal: { max: 1024 } },
  { name: 'cost.usd_per_1000_actions', label: 'AWS cost per 1,000 actions', unit: 'USD' },
  { name: 'cost.usd_idle_month', label: 'AWS cost of an idle month', unit: 'USD' },
  {
    name: 'park.saving_pct',
    label: 'parking saving: $48 droplet, 20 GB used, running 40 h a week (hourly billing)',
    unit: '%',
    goal: { min: 70 },
  },
  {
    name: 'park.saving_pct_per_second',
    label: 'the same, billed per second',
    unit: '%',
  },
  { name: 'chaos.duplicate_actions', label: 'chaos: duplicate actions', unit: '', goal: { max: 0 } },
  { name: 'chaos.lost_actions', label: 'chaos: lost actions', unit: '', goal: { max: 0 } },
];

export const README_FIGURES_START = '<!-- figures:start (npm run bench:readme) -->';
export const README_FIGURES_END = '<!-- figures:end -->';

/** The README's figures table, made from `bench/results.json`; figures not measured yet are left out. */
export function renderFiguresTable(results: Readonly<Record<string, number>>): string {
  const rows = HEADLINES.filter(({ name }) => typeof results[name] === 'number').map((headline) => {
    const value = results[headline.name] as number;
    const verdict = meetsGoal({ name: headline.name, value, unit: headline.unit, goal: headline.goal });
    const goal = headline.goal
      ? 'max' in headline.goal
        ? `≤ ${headline.goal.max}`
        : `≥ ${headline.goal.min}`
      : '';
    const shown = Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/\.?0+$/, '');
    const mark = verdict === undefined ? '' : verdict ? 'pass' : '**miss**';
    return `| ${headline.label} | \`${headline.name}\` | ${shown} ${headline.unit} | ${goal} | ${mark} |`;
  });
  return [
    README_FIGURES_START,
    '| what | figure | measured | goal | |',
    '|---|---|---|---|---|',
    ...rows,
    README_FIGURES_END,
  ].join('\n');
}

/** The README with its figures section replaced. */
export function withFigures(readme: string, results: Readonly<Record<string, number>>): string {
  const start = readme.indexOf(README_FIGURES_START);
  const end = readme.indexOf(README_FIGURES_END);
  if (start < 0 || end < start)
    throw new Error(
      `expected the README to hold ${README_FIGURES_START} … ${README_FIGURES_END}, got: no such section`,
    );
  return readme.slice(0, start) + renderFiguresTable(results) + readme.slice(end + README_FIGURES_END.length);
}
