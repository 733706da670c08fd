import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { RECONCILE_METRICS as HANDLER_METRICS } from '../../lambdas/handlers/reconcile-handler';
import { DropletScheduler, RECONCILE_METRICS } from '../../lib';
import {
  ESM_REQUIRE_BANNER,
  HANDLER_NAMES,
  handlerEntry,
  handlerSource,
  prebuiltBundleDirectory,
} from '../../lib/handler-bundling';
import { samplePolicies } from './support/sample-policies';
import { TOKEN_SECRET_NAME } from './support/synth-scheduler';

const missing = HANDLER_NAMES.filter((name) => !existsSync(handlerEntry(name)));
const describeIfHandlers = missing.length === 0 ? describe : describe.skip;
const outdir = mkdtempSync(path.join(tmpdir(), 'droplet-scheduler-bundle-test-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describeIfHandlers(
  `real bundling with the local esbuild${missing.length ? ` (skipped: ${missing.join(', ')} missing)` : ''}`,
  () => {
    const bundles = new Map<string, string>();

    beforeAll(() => {
      const app = new App({ outdir });
      const stack = new Stack(app, 'Bundled');
      new DropletScheduler(stack, 'DropletScheduler', {
        policies: samplePolicies(),
        tokenSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Token', TOKEN_SECRET_NAME),
      });
      const template = Template.fromStack(stack).toJSON() as {
        Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
      };
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (resource.Type !== 'AWS::Lambda::Function') continue;
        const name = HANDLER_NAMES.find((handler) => id.toLowerCase().includes(handler));
        const hash = resource.Properties.Code?.S3Key?.replace(/\.zip$/, '');
        if (name && hash) bundles.set(name, path.join(outdir, `asset.${hash}`));
      }
    });

    test.each(HANDLER_NAMES)(
      'given the %s handler, when bundled for Lambda, then it is one minified ESM file with its source map under 1 MiB',
      (name) => {
        const dir = bundles.get(name);
        expect(dir).toBeDefined();
        const file = path.join(dir!, 'index.mjs');
        const code = readFileSync(file, 'utf8');
        expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
        // Minified: long lines (the few breaks left are inside template literals).
        expect(code.length / code.split('\n').length).toBeGreaterThan(2000);
        expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
        expect(existsSync(path.join(dir!, 'index.mjs.map'))).toBe(true);
        expect(statSync(file).size).toBeLessThanOrEqual(1024 * 1024);
        // The SDK is inside the bundle: nothing is left for the runtime to resolve.
        expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
      },
    );

    test.each(HANDLER_NAMES)(
      'given the %s bundle, when Node checks it, then it parses as a module',
      (name) => {
        const result = spawnSync(process.execPath, ['--check', path.join(bundles.get(name)!, 'index.mjs')], {
          encoding: 'utf8',
          timeout: 30_000,
        });
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
      },
    );
  },
);

describe('where the construct takes each handler from', () => {
  test.each(HANDLER_NAMES)(
    'given this clone, when the %s handler is looked up, then its TypeScript entry is bundled at synth',
    (name) => {
      expect(handlerSource(name)).toEqual({ kind: 'typescript', entry: handlerEntry(name) });
      expect(handlerEntry(name)).toBe(path.resolve(__dirname, '../../lambdas/handlers', `${name}.ts`));
    },
  );

  test('given the compiled library of an installed package (no TypeScript beside it), then each handler is its pre-built bundle in dist/handlers', () => {
    const installedLib = path.join(outdir, 'installed', 'dist', 'lib');
    for (const name of HANDLER_NAMES) {
      expect(handlerSource(name, installedLib)).toEqual({
        kind: 'prebuilt',
        directory: path.join(outdir, 'installed', 'dist', 'handlers', name),
      });
      expect(prebuiltBundleDirectory(name, installedLib)).toBe(
        path.join(outdir, 'installed', 'dist', 'handlers', name),
      );
    }
  });
});

describe('reconcile metrics contract', () => {
  test('given the alarms, then they read the very names the reconcile handler emits', () => {
    expect(RECONCILE_METRICS).toBe(HANDLER_METRICS);
  });
});
