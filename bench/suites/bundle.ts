import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import {
  ENVIRONMENT_VARIABLES,
  type EnvironmentKey,
} from '../../lambdas/handlers/runtime/lambda-environment';
import { HANDLER_NAMES, handlerEntry } from '../../lib/handler-bundling';
import { handlerEsbuildOptions } from '../../scripts/handler-esbuild-options';
import type { BenchSuite } from '../figure';

/** Fresh processes per bundle; the median of these many loads is recorded. */
const LOAD_RUNS = 5;
/** A load that takes longer is a hang, not a figure. */
const LOAD_TIMEOUT_MS = 30_000;
const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Bundles each Lambda handler as the construct does (esbuild, minified, source maps, ESM, node24,
 * AWS SDK included) and measures it.
 *
 * - `bundle.<handler>_kb`: the bundle's size (the `.mjs`, without its source map); goal at most 1,024.
 * - `bundle.<handler>_init_ms`: the time to import the bundle in a fresh `node --enable-source-maps`
 *   process (module loading and top-level code, not Node's own start), median of five.
 * - `bundle.baseline_dynamodb_init_ms` (and `_kb`): the same for a bundle that only loads
 *   `@aws-sdk/client-dynamodb`, the floor any handler that writes the ledger pays.
 */
export const bundleSuite: BenchSuite = async (record) => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'droplet-scheduler-bundle-'));
  try {
    for (const name of HANDLER_NAMES) {
      const entry = handlerEntry(name);
      if (!existsSync(entry)) {
        console.log(`skipped bundle.${name}_*: ${path.relative(ROOT, entry)} does not exist yet`);
        continue;
      }
      const outfile = path.join(outdir, name, 'index.mjs');
      await build({ ...handlerEsbuildOptions(), entryPoints: [entry], outfile });
      record({ name: `bundle.${name}_kb`, value: kib(outfile), unit: 'KiB', goal: { max: 1024 } });
      record({ name: `bundle.${name}_init_ms`, value: medianLoadMs(outfile), unit: 'ms' });
    }
    const baseline = path.join(outdir, 'baseline', 'index.mjs');
    await build({
      ...handlerEsbuildOptions(),
      stdin: {
        contents:
          "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const handler = async () => new DynamoDBClient({});\n",
        resolveDir: ROOT,
        sourcefile: 'baseline.ts',
        loader: 'ts',
      },
      outfile: baseline,
    });
    record({ name: 'bundle.baseline_dynamodb_kb', value: kib(baseline), unit: 'KiB' });
    record({ name: 'bundle.baseline_dynamodb_init_ms', value: medianLoadMs(baseline), unit: 'ms' });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

function kib(file: string): number {
  return Math.round((statSync(file).size / 1024) * 10) / 10;
}

/** Loads the bundle in a fresh process per run, as a cold start does, with a Lambda-shaped environment. */
function medianLoadMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(`file://${file}`)}); console.log(performance.now() - t);`;
  const samples: number[] = [];
  for (let run = 0; run < LOAD_RUNS; run += 1) {
    const result = spawnSync(
      process.execPath,
      ['--enable-source-maps', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: LOAD_TIMEOUT_MS,
        env: { PATH: process.env.PATH, ...fakeLambdaEnvironment() },
      },
    );
    if (result.status !== 0) {
      throw new Error(`loading ${file} failed (exit ${result.status}): ${result.stderr.slice(0, 500)}`);
    }
    samples.push(Number(result.stdout.trim().split('\n').pop()));
  }
  samples.sort((a, b) => a - b);
  return Math.round((samples[Math.floor(samples.length / 2)] as number) * 10) / 10;
}

/** What a deployed function's environment holds, with values that reach nothing: the import must not call out. */
function fakeLambdaEnvironment(): Record<string, string> {
  const values: Record<EnvironmentKey, string> = {
    tableName: 'bench-ledger',
    workQueueUrl: 'https://sqs.eu-central-1.amazonaws.com/123456789012/bench-work',
    tokenSecretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:bench-token-AbCdEf',
    eventBusName: 'default',
    apiUrl: 'http://127.0.0.1:9',
    auditRetentionDays: '400',
    rateShare: '1',
  };
  return {
    ...Object.fromEntries(
      Object.entries(values).map(([key, value]) => [ENVIRONMENT_VARIABLES[key as EnvironmentKey], value]),
    ),
    AWS_REGION: 'eu-central-1',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
