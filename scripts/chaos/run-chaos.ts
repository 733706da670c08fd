import { formatFigure, type Figure } from '../../bench/figure';
import { argumentsFrom, FULL_PROFILE, QUICK_PROFILE } from './chaos-profile';
import { mergeResults } from './results-file';
import { note, RESULTS_FILE, runChaos, type ChaosRunResult } from './chaos-run';
import type { ChaosScenario } from './chaos-scenario';
import { FULL_PARK_PROFILE, parkScenario, QUICK_PARK_PROFILE } from './park-scenario';
import { standardScenario } from './standard-scenario';

/**
 * `npm run chaos [-- --profile standard|park] [--quick] [--runs N]`: N chaos runs back to back
 * (each with its own faults and kills), then `<prefix>.runs_clean`, the runs with every figure at
 * its goal.
 */
async function main(): Promise<number> {
  const { kind, quick, runs } = argumentsFrom(process.argv.slice(2));
  const scenario: ChaosScenario =
    kind === 'park'
      ? parkScenario(quick ? QUICK_PARK_PROFILE : FULL_PARK_PROFILE)
      : standardScenario(quick ? QUICK_PROFILE : FULL_PROFILE);
  const prefix = kind === 'park' ? 'park' : 'chaos';
  const stopping = new AbortController();
  const onSignal = () => {
    if (stopping.signal.aborted) process.exit(130);
    note('interrupted: cleaning up (again to force)');
    stopping.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const results: ChaosRunResult[] = [];
  try {
    for (let run = 1; run <= runs && !stopping.signal.aborted; run += 1) {
      if (runs > 1) note(`\n== chaos run ${run} of ${runs} ==`);
      results.push(await runChaos(scenario, stopping.signal));
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (stopping.signal.aborted) return 130;
  const clean = results.filter((result) => result.code === 0).length;
  if (runs > 1) {
    console.log('\nper run:');
    results.forEach((result, index) =>
      console.log(
        `  run ${index + 1}: ${result.figures.map((figure) => `${figure.name.replace(`${prefix}.`, '')} ${figure.value}`).join(', ')}`,
      ),
    );
  }
  const runsClean: Figure = {
    name: `${prefix}.runs_clean`,
    value: clean,
    unit: `of ${runs} runs`,
    goal: { min: runs },
  };
  console.log(formatFigure(runsClean));
  if (runs > 1) await mergeResults(RESULTS_FILE, [runsClean]);
  return clean === runs ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`chaos: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
