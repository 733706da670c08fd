// Opens a local store and serves it until stdin closes: another process, for the sharing test.
import { openLocalLedger } from '../../lambdas/adapters/local/open-local-ledger';

void (async () => {
  const opened = await openLocalLedger({ storeDir: process.argv[2] });
  await opened.ledger.claimRun({ policy: 'held', scheduledTime: '2026-11-27T02:00:00Z', type: 'reboot' });
  process.stdout.write(`ready ${opened.endpoint}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void opened.close().then(() => process.exit(0)));
})();
