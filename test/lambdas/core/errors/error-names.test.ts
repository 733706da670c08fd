import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import * as errors from '../../../../lambdas/core/errors';
import { handlerEsbuildOptions } from '../../../../scripts/handler-esbuild-options';

const ROOT = path.resolve(__dirname, '../../../..');
const outdir = mkdtempSync(path.join(tmpdir(), 'droplet-scheduler-error-names-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** One instance of every error class the family exports, built inside the bundle under test. */
const ENTRY = `
import * as errors from './lambdas/core/errors';
import { ScheduleExpressionError } from './lambdas/core/schedule/schedule-expression-error';
const api = { status: 500, message: 'boom', request: 'GET /v2/droplets' };
export const instances = {
  DropletSchedulerError: new errors.DropletSchedulerError('code', 'message'),
  ConfigurationError: new errors.ConfigurationError('message'),
  DigitalOceanError: new errors.DigitalOceanError('code', api),
  UnauthorizedError: new errors.UnauthorizedError(api),
  NotFoundError: new errors.NotFoundError(api),
  PendingEventError: new errors.PendingEventError(api),
  UnprocessableError: new errors.UnprocessableError(api),
  RateLimitedError: new errors.RateLimitedError(api),
  ServerError: new errors.ServerError(api),
  NetworkError: new errors.NetworkError(api),
  EventPublishError: new errors.EventPublishError([{ detailType: 'Droplet Action Failed', reason: 'refused' }]),
  QueueSendError: new errors.QueueSendError(1, 'refused'),
  LedgerConflictError: new errors.LedgerConflictError({ operation: 'op', key: { pk: 'p', sk: 's' }, expected: 'a', found: 'b' }),
  PolicyValidationError: new errors.PolicyValidationError([]),
  ScheduleExpressionError: new ScheduleExpressionError({ received: 'cron(x)', expected: 'six fields' }),
};
`;

/** Bundles the entry as given, loads it, and returns each instance's `name` by the class it was built from. */
async function namesInBundle(file: string, options: BuildOptions): Promise<Record<string, string>> {
  const outfile = path.join(outdir, `${file}.cjs`);
  await build({
    ...options,
    format: 'cjs',
    banner: undefined,
    sourcemap: false,
    stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: 'entry.ts', loader: 'ts' },
    outfile,
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { instances } = require(outfile) as { instances: Record<string, Error> };
  return Object.fromEntries(Object.entries(instances).map(([className, error]) => [className, error.name]));
}

const identity = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, name]));

describe('error names in minified bundles', () => {
  test('given the family, then the entry builds one of every class it exports', () => {
    const exported = Object.entries(errors)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    const built = [...ENTRY.matchAll(/^ {2}(\w+): new /gm)].map((match) => match[1]);
    expect(built).toEqual(expect.arrayContaining(exported));
  });

  test('given minification without keepNames, then every subclass still has its own name (a literal)', async () => {
    const names = await namesInBundle('minified', { bundle: true, platform: 'node', minify: true });
    const { DropletSchedulerError: _base, ...subclasses } = names;
    expect(subclasses).toEqual(identity(Object.keys(subclasses)));
  });

  test("given the handlers' own bundling options, then every class, the root too, has its own name", async () => {
    const names = await namesInBundle('handler-options', handlerEsbuildOptions());
    expect(names).toEqual(identity(Object.keys(names)));
  });
});
