import { generateToken, type SimulatorHandle } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';

describe('the simulator: rate limits', () => {
  let simulator: SimulatorHandle;
  let api: SimulatorApi;

  beforeEach(async () => {
    ({ simulator, api } = await startTestSimulator({ droplets: 2, rateLimit: { perMinute: 5, perHour: 8 } }));
  });
  afterEach(() => simulator.close());

  it('sends ratelimit-limit, -remaining and -reset (epoch seconds) on every response', async () => {
    const before = Math.floor(Date.now() / 1000);
    const ok = await api.get('/v2/droplets');
    const missing = await api.get('/v2/droplets/1');

    for (const response of [ok, missing]) {
      expect(response.headers.get('ratelimit-limit')).toBe('8');
      expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(before + 3600);
    }
    expect(ok.headers.get('ratelimit-remaining')).toBe('7');
    expect(missing.headers.get('ratelimit-remaining')).toBe('6');
  });

  it('given the per-minute window is full, then 429 too_many_requests with retry-after', async () => {
    for (let i = 0; i < 5; i += 1) expect((await api.get('/v2/droplets')).status).toBe(200);

    const refused = await api.get('/v2/droplets');

    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      id: 'too_many_requests',
      message: 'API Rate limit exceeded.',
      request_id: expect.any(String),
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-remaining')).toBe('3');
    expect(simulator.state().rateLimited).toBe(1);
  });

  it('does not charge a good token for requests made with a bad one', async () => {
    for (let i = 0; i < 10; i += 1) expect((await api.get('/v2/droplets', generateToken())).status).toBe(401);

    const response = await api.get('/v2/droplets');

    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-remaining')).toBe('7');
  });

  it('frees the window after it slides past, with windowScale shrinking it in real time', async () => {
    const quick = await startTestSimulator({ rateLimit: { perMinute: 2, perHour: 100, windowScale: 60 } });
    try {
      // A "minute" of one real second.
      await quick.api.get('/v2/droplets');
      await quick.api.get('/v2/droplets');
      const refused = await quick.api.get('/v2/droplets');
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const later = await quick.api.get('/v2/droplets');

      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(later.status).toBe(200);
    } finally {
      await quick.simulator.close();
    }
  });

  it('enforces the hourly window too', async () => {
    const hourly = await startTestSimulator({ rateLimit: { perMinute: 100, perHour: 3 } });
    try {
      for (let i = 0; i < 3; i += 1) await hourly.api.get('/v2/droplets');
      const refused = await hourly.api.get('/v2/droplets');

      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
    } finally {
      await hourly.simulator.close();
    }
  });

  it('sends no rate-limit headers and never 429s when rate limits are off', async () => {
    const free = await startTestSimulator({ rateLimit: false });
    try {
      let last = await free.api.get('/v2/droplets');
      for (let i = 0; i < 30; i += 1) last = await free.api.get('/v2/droplets');

      expect(last.status).toBe(200);
      expect(last.headers.get('ratelimit-limit')).toBeNull();
    } finally {
      await free.simulator.close();
    }
  });
});
