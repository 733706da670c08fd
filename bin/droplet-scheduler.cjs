#!/usr/bin/env node
// The package's `bin`: registers tsx so that the TypeScript entry point runs as it is, from any
// working directory (tsx is resolved beside this file, not from the caller's folder).
'use strict';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs/api').register();
require('./droplet-scheduler.ts');
