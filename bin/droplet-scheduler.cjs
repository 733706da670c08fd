#!/usr/bin/env node
// The package's `bin`: registers tsx so that the TypeScript entry point runs as it is, from any
// working directory (tsx is resolved beside this file, not from the caller's folder).
'use strict';
// `local` runs for days, often on a small machine: with this flag V8 grows its heap sparingly,
// which took the peak resident memory of `local` on 10,000 droplets from about 400 MB to about
// 230 MB, with no heap limit to run into. V8 reads it whenever it sizes the heap, so setting it
// here, before anything is loaded, takes effect.
try {
  require('node:v8').setFlagsFromString('--optimize-for-size');
} catch {
  // A V8 that refuses flags after start-up keeps its defaults: more memory, same behaviour.
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs/api').register();
require('./droplet-scheduler.ts');
