import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { claimAction } from '../support/ledger-items';
import { openLocalLedger } from '../../lambdas/adapters/local/open-local-ledger';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { runCaptured } from './captured-cli';

const POLICIES = `
defaults: { timezone: UTC }
policies:
  - name: ids-reboot
    schedule: cron(0 3 * * ? *)
    targets: { dropletIds: [400000001] }
    action: { type: reboot }
`;

/** Every file under `dir` with a hash of its bytes, to show that nothing changed. */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  }
  return files;
}

describe('a damaged local store', () => {
  let pristine: string;

  beforeAll(async () => {
    // A store with one item, opened twice so that LevelDB has moved it into a table (.ldb) file.
    pristine = await mkdtemp(path.join(tmpdir(), 'damaged-store-pristine-'));
    const storeDir = path.join(pristine, '.droplet-scheduler');
    const first = await openLocalLedger({ storeDir });
    await claimAction(first.ledger, {
      policy: 'ids-reboot',
      scheduledTime: new Date().toISOString(),
      dropletId: 400000001,
    });
    await first.close();
    await (await openLocalLedger({ storeDir })).close();
    await writeFile(path.join(pristine, 'policies.yaml'), POLICIES);
  });
  afterAll(async () => {
    await rm(pristine, { recursive: true, force: true });
  });

  /** A copy of the store with `pick`'s file cut to a few bytes. */
  async function damagedCopy(pick: (name: string) => boolean): Promise<{ dir: string; file: string }> {
    const dir = await mkdtemp(path.join(tmpdir(), 'damaged-store-'));
    await cp(pristine, dir, { recursive: true });
    const ledgerDir = path.join(dir, '.droplet-scheduler', 'ledger');
    const name = (await readdir(ledgerDir)).find(pick);
    if (name === undefined) throw new Error(`expected a ledger file to damage in ${ledgerDir}`);
    await truncate(
      path.join(ledgerDir, name),
      Math.min(5, (await stat(path.join(ledgerDir, name))).size - 1),
    );
    return { dir, file: path.join(ledgerDir, name) };
  }

  test.each([
    ['CURRENT', (name: string) => name === 'CURRENT'],
    ['MANIFEST-*', (name: string) => name.startsWith('MANIFEST-')],
    ['*.ldb', (name: string) => name.endsWith('.ldb')],
  ])(
    'given %s cut short, when audit and run open the store, then each exits 2 with one line naming that file, and the store is left as it was',
    async (_name, pick) => {
      const { dir, file } = await damagedCopy(pick);
      try {
        const before = await fingerprint(dir);
        const audit = await runCaptured(['audit'], { cwd: dir });
        const run = await runCaptured(['run', 'ids-reboot', '--api-url', 'http://127.0.0.1:9'], {
          cwd: dir,
          env: { DIGITALOCEAN_TOKEN: `dop_v1_${'0'.repeat(64)}` },
        });

        for (const result of [audit, run]) {
          expect(result.code).toBe(2);
          expect(result.stderr.trim().split('\n')).toHaveLength(1);
          expect(result.stderr).toContain(`error: the local store is damaged: ${file} cannot be read`);
          expect(result.stderr).not.toMatch(/\n\s+at /);
        }
        expect(await fingerprint(dir)).toEqual(before);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );

  test('given a healthy store, when audited, then the check leaves no scratch files behind', async () => {
    const result = await runCaptured(['audit'], { cwd: pristine });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ids-reboot');
    expect(
      (await readdir(path.join(pristine, '.droplet-scheduler'))).filter((name) => name.startsWith('.')),
    ).toEqual([]);
  });
});

describe('a queue journal cut short', () => {
  let simulator: SimulatorHandle;
  let dir: string;

  beforeEach(async () => {
    simulator = await startSimulator({ droplets: 1, timeScale: 600 });
    dir = await mkdtemp(path.join(tmpdir(), 'damaged-journal-'));
  });
  afterEach(async () => {
    await simulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('given a dead process left a journal whose last line is torn, when the next command opens the store, then it warns naming the kept file and the item the line held', async () => {
    const storeDir = path.join(dir, '.droplet-scheduler');
    await (await openLocalLedger({ storeDir })).close();
    const item = {
      policy: 'ids-reboot',
      scheduledTime: '2026-11-27T03:00:00.000Z',
      dropletId: 400000001,
      action: { type: 'reboot' },
    };
    const journal = path.join(storeDir, `queue-${2 ** 30}.jsonl`);
    const line = JSON.stringify({ sent: 'a', item });
    await writeFile(journal, `${line.slice(0, line.length - 12)}`);

    const result = await runCaptured(['reconcile'], {
      cwd: dir,
      env: { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url },
    });

    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `warning: 1 line(s) of a queue journal could not be read (a crash or a full disk cut them short); kept as ${journal}.damaged. The item(s) they held may never start: ids-reboot @ 2026-11-27T03:00:00.000Z, droplet 400000001`,
    );
    expect(existsSync(`${journal}.damaged`)).toBe(true);
  });
});
