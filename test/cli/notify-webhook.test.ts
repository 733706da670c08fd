import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCliCaptured, waitFor, workDirWithPolicies } from './run-cli-captured';

const POLICIES = `
defaults: { timezone: UTC }
policies:
  - { name: wake, schedule: cron(0 7 * * ? *), targets: { dropletIds: [101] }, action: { type: power_on } }
  - { name: bounce, schedule: cron(0 3 * * ? *), targets: { dropletIds: [101] }, action: { type: reboot } }
`;

const SECRET = 'T0000/B0000/xoxo-secret-part';

describe('local --notify-webhook', () => {
  let server: Server;
  let texts: string[];
  let url: string;

  beforeEach(async () => {
    texts = [];
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        texts.push(String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: unknown }).text));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/${SECRET}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('given a simulated droplet already on, when wake runs, then the webhook gets the skipped message, and the output shows the webhook by scheme and host only', async () => {
    const work = await workDirWithPolicies(POLICIES);
    const stop = new AbortController();
    try {
      const running = startCliCaptured(
        [
          'local',
          '--simulate',
          '--run-now',
          '--time-scale',
          '600',
          '--reconcile-interval',
          '300ms',
          '--notify-webhook',
          url,
        ],
        { env: {}, cwd: work.dir, signal: stop.signal },
      );
      await waitFor('the skipped power_on posted to the webhook', () => texts.length >= 1);
      stop.abort();
      const result = await running.done;

      expect(result.code).toBe(0);
      expect(texts[0]).toMatch(
        /^droplet-scheduler: wake \(tick \S+\): power_on of droplet 101 \(null\) skipped: droplet already active$/,
      );
      expect(result.stdout).toMatch(
        /notifications: failed, timed-out and skipped actions to http:\/\/127\.0\.0\.1:\d+\n/,
      );
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    } finally {
      stop.abort();
      await work.remove();
    }
  });

  test.each([['ftp://hooks.example.com/services/x'], ['not a url at all']])(
    'given --notify-webhook %j, then it exits 1 with one line that does not repeat the URL',
    async (value) => {
      const work = await workDirWithPolicies(POLICIES);
      try {
        const result = await startCliCaptured(['local', '--simulate', '--notify-webhook', value], {
          env: {},
          cwd: work.dir,
        }).done;

        expect(result.code).toBe(1);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toContain('--notify-webhook: expected an https:// (or http://) URL');
        expect(result.stderr).not.toContain('/services/x');
        expect(result.stderr).not.toContain('at all');
      } finally {
        await work.remove();
      }
    },
  );
});
