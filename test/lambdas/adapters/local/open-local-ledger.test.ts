import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLocalLedger } from '../../../../lambdas/adapters/local/open-local-ledger';
import { runId } from '../../../../lambdas/core/ledger/item-id';
import { claimRun } from '../../../support/ledger-items';

describe('openLocalLedger', () => {
  let storeDir: string;
  beforeEach(async () => {
    storeDir = await mkdtemp(path.join(tmpdir(), 'store-'));
  });
  afterEach(() => rm(storeDir, { recursive: true, force: true }));

  it('keeps the ledger on disk across a close and a reopen', async () => {
    const first = await openLocalLedger({ storeDir });
    await claimRun(first.ledger, 'kept', '2026-11-27T02:00:00Z');
    await first.close();

    const second = await openLocalLedger({ storeDir });
    const run = await second.ledger.get(runId('kept', '2026-11-27T02:00:00Z'));
    await second.close();

    expect(run?.kind).toBe('run');
  });

  it('given another process serving the store, reads the same ledger through it instead of failing on the lock', async () => {
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '../../../support/hold-local-store.ts'), storeDir],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the holder did not start within 20 s')), 20_000);
        holder.stdout.on('data', (chunk: Buffer) => {
          const match = /ready (\S+)/.exec(chunk.toString());
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });

      const opened = await openLocalLedger({ storeDir });
      const run = await opened.ledger.get(runId('held', '2026-11-27T02:00:00Z'));
      await opened.close();

      expect(opened.shared).toBe(true);
      expect(opened.endpoint).toBe(endpoint);
      expect(run?.kind).toBe('run');
    } finally {
      holder.stdin.end();
      await new Promise((resolve) => holder.once('exit', resolve));
    }
  });
});
