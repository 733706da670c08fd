import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { startChild } from '../e2e/subprocess';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'droplet-scheduler.cjs');
const DOCS = ['README.md', 'simulator/README.md', ...docsFolder()];

/** Longest a block may take; each one is a few CLI starts against a time-scaled simulator. */
const BLOCK_TIMEOUT_MS = 90_000;

/**
 * A shell block marked for this test: its fence reads "```sh runnable", optionally followed by
 * `after=npm-start` (it reads what `npm start` leaves in a directory) and `requires=TOOL` (it
 * needs a program besides the CLI, such as jq or curl).
 */
interface RunnableBlock {
  readonly file: string;
  readonly line: number;
  readonly script: string;
  readonly afterNpmStart: boolean;
  readonly requires: readonly string[];
}

/** Synchronous, so that the test table exists when jest collects the tests. */
function docsFolder(): string[] {
  return readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
}

function runnableBlocks(file: string, text: string): RunnableBlock[] {
  const blocks: RunnableBlock[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const fence = /^```sh runnable((?: [\w=,-]+)*)\s*$/.exec(lines[index]!);
    if (!fence) continue;
    const words = fence[1]!.trim().split(/\s+/).filter(Boolean);
    const end = lines.indexOf('```', index + 1);
    if (end < 0) throw new Error(`${file}:${index + 1}: a runnable block without its closing fence`);
    blocks.push({
      file,
      line: index + 1,
      script: lines.slice(index + 1, end).join('\n'),
      afterNpmStart: words.includes('after=npm-start'),
      requires: words.flatMap((word) => (word.startsWith('requires=') ? word.slice(9).split(',') : [])),
    });
    index = end;
  }
  return blocks;
}

function installed(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `droplet-scheduler` and `npx droplet-scheduler` as a clone runs them, from a directory of shims. */
async function shims(dir: string): Promise<string> {
  const bin = path.join(dir, 'shims');
  await mkdir(bin, { recursive: true });
  const cli = `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`;
  // npx in a clone resolves the project's own bin; the shim does the same without asking npm.
  const npx = `#!/bin/sh\nif [ "$1" = droplet-scheduler ]; then shift; exec "${process.execPath}" "${CLI}" "$@"; fi\necho "npx $1: only npx droplet-scheduler is available here" >&2\nexit 127\n`;
  await writeFile(path.join(bin, 'droplet-scheduler'), cli);
  await writeFile(path.join(bin, 'npx'), npx);
  await chmod(path.join(bin, 'droplet-scheduler'), 0o755);
  await chmod(path.join(bin, 'npx'), 0o755);
  return bin;
}

/** A working directory as a clone's: the example policies in reach. */
async function workDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'doc-commands-'));
  await symlink(path.join(ROOT, 'examples'), path.join(dir, 'examples'));
  return dir;
}

/** Runs `npm start`'s command until its first burst has settled, then Ctrl-C: what a reader has after it. */
async function afterNpmStart(): Promise<string> {
  const dir = await workDir();
  const manifest = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const args = manifest.scripts.start.replace(/^exec node bin\/droplet-scheduler\.cjs /, '').split(' ');
  const child = startChild(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', DIGITALOCEAN_TOKEN: '' },
  });
  const deadline = Date.now() + 60_000;
  while (!/all settled/.test(child.stdout())) {
    if (Date.now() > deadline || child.process.exitCode !== null) {
      child.kill();
      throw new Error(`expected npm start to settle a burst, got: ${child.stdout()}${child.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.process.kill('SIGINT');
  await child.finished(60_000);
  return dir;
}

function runScript(
  script: string,
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // -e: every command of the block must succeed, as a reader pasting them one by one would see.
    const child = spawn('bash', ['-e', '-c', script], { cwd: options.cwd, env: options.env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), BLOCK_TIMEOUT_MS - 5_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const blocks = DOCS.flatMap((file) => runnableBlocks(file, readFileSync(path.join(ROOT, file), 'utf8')));

describe('doc commands marked `sh runnable` run as written, against the simulator', () => {
  let simulator: SimulatorHandle;
  let shimDir: string;
  let scratch: string;
  let npmStartDir: string | undefined;
  const made: string[] = [];

  beforeAll(async () => {
    // What the README tells the reader to start: the simulator with both example tags.
    simulator = await startSimulator({ tags: { staging: 5, production: 5 }, timeScale: 60 });
    scratch = await mkdtemp(path.join(tmpdir(), 'doc-commands-shims-'));
    shimDir = await shims(scratch);
  }, 60_000);
  afterAll(async () => {
    await simulator?.close();
    for (const dir of [scratch, npmStartDir, ...made])
      if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('given the docs, then they mark runnable commands in the README, docs/ and simulator/README.md', () => {
    const files = new Set(blocks.map((block) => block.file));
    expect(files).toEqual(
      new Set(['README.md', 'docs/events.md', 'docs/policies.md', 'simulator/README.md']),
    );
  });

  test.each(blocks.map((block) => [`${block.file}:${block.line}`, block] as const))(
    'given the block at %s, when run in a fresh directory, then every command succeeds',
    async (_where, block) => {
      const missing = block.requires.filter((tool) => !installed(tool));
      if (missing.length > 0) {
        console.warn(`${block.file}:${block.line} not run: ${missing.join(', ')} not installed`);
        return;
      }
      let cwd: string;
      if (block.afterNpmStart) {
        npmStartDir ??= await afterNpmStart();
        cwd = await mkdtemp(path.join(tmpdir(), 'doc-commands-after-start-'));
        await cp(npmStartDir, cwd, { recursive: true, verbatimSymlinks: true });
      } else {
        cwd = await workDir();
      }
      made.push(cwd);
      const env = {
        PATH: `${shimDir}:${process.env.PATH}`,
        HOME: process.env.HOME,
        NO_COLOR: '1',
        // The export line the simulator's banner prints, pasted.
        DIGITALOCEAN_API_URL: simulator.url,
        DIGITALOCEAN_TOKEN: simulator.token,
      };

      const result = await runScript(block.script, { cwd, env });

      // One string, so that a failure shows the block, its exit code and everything it printed.
      expect(
        `${block.file}:${block.line} exited ${result.code}\n${block.script}\n---\n${result.output}`,
      ).toMatch(/^\S+ exited 0\n/);
    },
    BLOCK_TIMEOUT_MS,
  );
});
