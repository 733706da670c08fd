import { redactSecrets } from '../../../../lambdas/core/security/redact-secrets';
import { createLogger } from '../../../../lambdas/handlers/runtime/logger';

const canary = () => `dop_v1_${'5eed'.repeat(16)}`;

describe('redactSecrets', () => {
  it.each(['dop', 'doo', 'dor'])('hides a %s_v1_ token wherever it stands in the text', (prefix) => {
    const token = `${prefix}_v1_${'ab12'.repeat(16)}`;
    expect(redactSecrets(`Bearer ${token}, again:${token}.`)).toBe(
      'Bearer [redacted token], again:[redacted token].',
    );
  });

  it('hides a known secret of another shape', () => {
    expect(redactSecrets('token=simulator-token-1234567890', ['simulator-token-1234567890'])).toBe(
      'token=[redacted token]',
    );
  });

  it('leaves short known strings alone, so that ordinary words survive', () => {
    expect(redactSecrets('a short T', ['T'])).toBe('a short T');
  });
});

describe('createLogger', () => {
  it('never writes the token, even when a caller logs it by mistake', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const logger = createLogger('test');
    const logged = jest.spyOn(console, 'info').mockImplementation((line: string) => void lines.push(line));
    try {
      logger.info('calling DigitalOcean', {
        headers: { Authorization: `Bearer ${canary()}` },
        note: canary(),
      });
    } finally {
      spy.mockRestore();
      logged.mockRestore();
    }
    const output = lines.join('\n');
    expect(output).toContain('calling DigitalOcean');
    expect(output).not.toContain(canary());
  });
});
