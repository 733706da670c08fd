// Opens a local store and serves it until stdin closes: another process, for the sharing test.
import { openLocalLedger } from '../../lambdas/adapters/local/open-local-ledger';
import { claimRun } from './ledger-items';

void (async () => {
  const opened = await openLocalLedger({ storeDir: process.argv[2] });
  await claimRun(opened.ledger, 'held', '2026-11-27T02:00:00Z');
  process.stdout.write(`ready ${opened.endpoint}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void opened.close().then(() => process.exit(0)));
})();
