import type { BenchSuite } from './figure';
import { auditSuite } from './suites/audit';
import { bundleSuite } from './suites/bundle';
import { clientSuite } from './suites/client';
import { costSuite } from './suites/cost';
import { initiateSuite } from './suites/initiate';
import { localMemorySuite } from './suites/local-memory';
import { parkSuite } from './suites/park';
import { reconcileSuite } from './suites/reconcile';
import { reconcile10kSuite } from './suites/reconcile-10k';
import { scaleSuite } from './suites/scale';

/** Every bench suite, in the order `npm run bench` runs them. Names are the suite filters on the command line. */
export const suites: Record<string, BenchSuite> = {
  client: clientSuite,
  initiate: initiateSuite,
  reconcile: reconcileSuite,
  'reconcile-10k': reconcile10kSuite,
  scale: scaleSuite,
  bundle: bundleSuite,
  audit: auditSuite,
  cost: costSuite,
  local: localMemorySuite,
  park: parkSuite,
};
