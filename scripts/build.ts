import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import {
  HANDLER_NAMES,
  PREBUILT_BUNDLE_FILE,
  handlerEntry,
  prebuiltBundleDirectory,
} from '../lib/handler-bundling';
import { handlerEsbuildOptions } from './handler-esbuild-options';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

/**
 * `npm run build` (and `npm pack`, through `prepack`): the compiled library and CLI with their type
 * declarations in `dist/`, and each Lambda handler bundled once, here, into `dist/handlers/<name>/`.
 * The installed construct deploys those bundles as they are, so a user's `cdk synth` needs neither
 * esbuild nor Docker.
 */
async function main(): Promise<void> {
  rmSync(DIST, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      timeout: 300_000,
    },
  );
  if (tsc.status !== 0)
    throw new Error(`tsc -p tsconfig.build.json failed (exit ${tsc.status ?? tsc.signal})`);
  for (const name of HANDLER_NAMES) {
    // The compiled library looks for its bundles at dist/handlers/<name>/, beside dist/lib/.
    const outfile = path.join(prebuiltBundleDirectory(name, path.join(DIST, 'lib')), PREBUILT_BUNDLE_FILE);
    await build({ ...handlerEsbuildOptions(), entryPoints: [handlerEntry(name)], outfile });
    console.log(
      `bundled ${name}: ${path.relative(ROOT, outfile)}, ${Math.round(statSync(outfile).size / 1024)} KiB`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
