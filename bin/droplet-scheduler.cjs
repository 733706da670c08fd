#!/usr/bin/env node
// The package's `bin`. An installed package holds only the compiled CLI (dist/), and runs it. A clone
// holds the TypeScript source beside this file and runs that through tsx (resolved beside this
// file, not from the caller's folder), so that an edit needs no build and a dist/ left over from an
// earlier `npm run build` or `npm pack` is never run by mistake. DROPLET_SCHEDULER_COMPILED=1 runs
// dist/ in a clone too, as the installed package would (the bench measures it that way).
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');

// `local` runs for days, often on a small machine: with this flag V8 grows its heap sparingly,
// which took the peak resident memory of `local` on 10,000 droplets from about 400 MB to about
// 230 MB, with no heap limit to run into. V8 reads it whenever it sizes the old generation, so
// setting it here, before anything is loaded, takes effect there. Its other half, a young
// generation of 1 MB semi-spaces, is fixed when the isolate is created, and a flag set now does not
// reach it: the young generation grows to 16 MB semi-spaces (up to 32 MB resident) under a bulk
// tick. A growth factor of 1, which V8 does read whenever it would grow them, keeps them at 1 MB,
// as `node --optimize-for-size` would: about 20 MB less at the peak (bench `local.rss_mb`).
try {
  const v8 = require('node:v8');
  v8.setFlagsFromString('--optimize-for-size');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
} catch {
  // A V8 that refuses flags after start-up keeps its defaults: more memory, same behaviour.
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const source = path.join(__dirname, 'droplet-scheduler.ts');
const compiled = path.join(__dirname, '..', 'dist', 'bin', 'droplet-scheduler.js');

function tsxApi() {
  try {
    return require.resolve('tsx/cjs/api', { paths: [__dirname] });
  } catch {
    return undefined;
  }
}

const tsx = process.env.DROPLET_SCHEDULER_COMPILED === '1' ? undefined : existsSync(source) && tsxApi();
if (tsx) {
  require(tsx).register();
  require(source);
} else if (existsSync(compiled)) {
  require(compiled);
} else {
  console.error(
    `droplet-scheduler: neither the TypeScript source with tsx nor the compiled CLI (${compiled}) is here; in a clone, run \`npm ci\` (or \`npm run build\` for the compiled CLI)`,
  );
  process.exitCode = 2;
}
