import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { startChild, type Finished } from '../e2e/subprocess';

/**
 * The package as a user gets it: `npm pack`, then a fresh TypeScript CDK app in a temporary folder
 * installs the tarball from disk and its other packages from the npm registry (with the local cache
 * preferred), compiles against the shipped type declarations, synthesizes offline with no esbuild,
 * tsx or Docker in reach, and runs the installed CLI. Slow (about two minutes, mostly the install),
 * so it runs in `.ci/run` through `npm run test:package` rather than in `npm test`.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'droplet-scheduler-package-'));
const app = path.join(work, 'app');
const installed = path.join(app, 'node_modules', 'droplet-scheduler');
let tarball = '';
let simulator: SimulatorHandle | undefined;

/** What the app pins: the versions this repository tests with, so that the npm cache answers. */
function installedVersion(name: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

/** A child process with no AWS credentials and no inherited npm or tsx hooks, bounded in time. */
async function run(command: string, args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}) {
  const child = startChild(command, args, {
    cwd: app,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // npm's cache and registry settings, as the user's own npm would have them.
      ...(process.env.npm_config_cache ? { npm_config_cache: process.env.npm_config_cache } : {}),
      ...(process.env.npm_config_registry ? { npm_config_registry: process.env.npm_config_registry } : {}),
      CDK_DISABLE_VERSION_CHECK: '1',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
      NO_COLOR: '1',
      ...env,
    },
  });
  const finished: Finished = await child.finished(timeoutMs);
  return finished;
}

function expectSuccess(result: Finished, what: string): void {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited ${result.code}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
    );
  }
}

beforeAll(async () => {
  // `npm pack` runs `prepack`, which builds dist/ (tsc and the three handler bundles) from this checkout.
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [manifest] = JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string }[];
  tarball = path.join(work, manifest!.filename);

  mkdirSync(path.join(app, 'bin'), { recursive: true });
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify(
      {
        name: 'droplet-scheduler-user-app',
        private: true,
        dependencies: {
          'droplet-scheduler': `file:${tarball}`,
          'aws-cdk-lib': installedVersion('aws-cdk-lib'),
          constructs: installedVersion('constructs'),
        },
        devDependencies: {
          'aws-cdk': installedVersion('aws-cdk'),
          typescript: installedVersion('typescript'),
          '@types/node': installedVersion('@types/node'),
        },
      },
      null,
      2,
    ),
  );
  // `cdk init app --language typescript`'s settings, without skipLibCheck: the shipped .d.ts must compile.
  writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        types: ['node'],
      },
      include: ['bin/**/*.ts'],
    }),
  );
  writeFileSync(
    path.join(app, 'cdk.json'),
    JSON.stringify({
      app: 'node bin/app.js',
      notices: false,
      'cli-telemetry': false,
      versionReporting: false,
    }),
  );
  const install = await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
    300_000,
  );
  expectSuccess(install, 'npm install');
}, 600_000);

afterAll(async () => {
  await simulator?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball installed into a fresh TypeScript CDK app', () => {
  test('given the tarball, then it holds the compiled library with its types, the bundles, the bin shim, README, LICENSE and examples, and no test or TypeScript source', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((file) => file.replace(/^package\//, ''));

    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'bin/droplet-scheduler.cjs',
        'dist/lib/index.js',
        'dist/lib/index.d.ts',
        'dist/bin/droplet-scheduler.js',
        'dist/handlers/dispatch/index.mjs',
        'dist/handlers/initiate/index.mjs',
        'dist/handlers/reconcile/index.mjs',
        'examples/policies.yaml',
        'examples/cdk-app.ts',
      ]),
    );
    expect(files.filter((file) => /(^|\/)(test|tests|__tests__)\/|\.test\.|\.spec\./.test(file))).toEqual([]);
    // TypeScript ships only as declarations, plus the example a user copies.
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([
      'examples/cdk-app.ts',
    ]);
    expect(files.filter((file) => /^(bench|scripts|simulator|lib|lambdas|cli|docs)\//.test(file))).toEqual(
      [],
    );
  });

  test('given the installed package, then aws-cdk-lib and constructs are peers shared with the app, and tsx and esbuild are not installed', () => {
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
    expect(manifest.dependencies).not.toHaveProperty('aws-cdk-lib');
    expect(manifest.dependencies).not.toHaveProperty('constructs');
    expect(manifest.dependencies).not.toHaveProperty('tsx');
    // One construct tree: no nested copy under the package.
    expect(existsSync(path.join(installed, 'node_modules', 'aws-cdk-lib'))).toBe(false);
    expect(existsSync(path.join(installed, 'node_modules', 'constructs'))).toBe(false);
    for (const absent of ['tsx', 'esbuild']) {
      expect(() => require.resolve(absent, { paths: [app] })).toThrow();
    }
  });

  test('given the example app from the package, when compiled and synthesized offline, then the three functions deploy the pre-built bundles', async () => {
    const example = readFileSync(path.join(installed, 'examples', 'cdk-app.ts'), 'utf8');
    writeFileSync(path.join(app, 'bin', 'app.ts'), example);
    writeFileSync(
      path.join(app, 'policies.yaml'),
      readFileSync(path.join(installed, 'examples', 'policies.yaml')),
    );

    expectSuccess(await run(path.join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.'], 120_000), 'tsc');
    const synth = await run(
      path.join(app, 'node_modules', '.bin', 'cdk'),
      ['synth', '-q', '--no-notices', '--no-version-reporting', '--output', 'cdk.out'],
      120_000,
    );
    expectSuccess(synth, 'cdk synth');

    const template = JSON.parse(
      readFileSync(path.join(app, 'cdk.out', 'DropletSchedulerExample.template.json'), 'utf8'),
    ) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      expect(fn.Properties.Handler).toBe('index.handler');
      const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      const bundle = readFileSync(path.join(app, 'cdk.out', `asset.${key}`, 'index.mjs'));
      const shipped = readdirSync(path.join(installed, 'dist', 'handlers')).filter((name) =>
        readFileSync(path.join(installed, 'dist', 'handlers', name, 'index.mjs')).equals(bundle),
      );
      // Each asset is one of the shipped bundles, byte for byte: nothing was bundled at synth.
      expect(shipped).toHaveLength(1);
    }
    const schedules = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(schedules.length).toBeGreaterThan(1);
  }, 300_000);

  test('given the installed CLI, when it validates and plans the example policies, then it runs the compiled JavaScript and answers as from a clone', async () => {
    expect(existsSync(path.join(installed, 'bin', 'droplet-scheduler.ts'))).toBe(false);

    const validate = await run(
      'npx',
      ['--no-install', 'droplet-scheduler', 'validate', '-f', 'policies.yaml'],
      60_000,
    );
    expectSuccess(validate, 'droplet-scheduler validate');
    expect(validate.stdout).toMatch(/policies\.yaml: \d+ policies, valid/);

    const plan = await run(
      'npx',
      ['--no-install', 'droplet-scheduler', 'plan', '-f', 'policies.yaml', '--count', '2', '--json'],
      60_000,
    );
    expectSuccess(plan, 'droplet-scheduler plan --json');
    const fireTimes = JSON.parse(plan.stdout) as { policy: string; fireTimes: string[] }[];
    expect(fireTimes.map((entry) => entry.policy)).toContain('nightly-snapshots');

    // Against the simulator the plan resolves the tags through the API client (ky, an ES module that
    // the compiled CommonJS loads with require()).
    simulator = await startSimulator({ droplets: 6, tags: { production: 4, staging: 2 } });
    const resolved = await run(
      'npx',
      [
        '--no-install',
        'droplet-scheduler',
        'plan',
        '-f',
        'policies.yaml',
        '--count',
        '1',
        '--api-url',
        simulator.url,
      ],
      60_000,
      { DIGITALOCEAN_TOKEN: simulator.token },
    );
    expectSuccess(resolved, 'droplet-scheduler plan against the simulator');
    expect(resolved.stdout).toMatch(/nightly-snapshots/);
    expect(resolved.stdout).toContain('tag production: 4 droplets');
    expect(`${resolved.stdout}${resolved.stderr}`).not.toContain(simulator.token);
  }, 300_000);
});
