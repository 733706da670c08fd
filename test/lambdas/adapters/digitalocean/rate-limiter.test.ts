import {
  DIGITALOCEAN_RATE_LIMIT_WINDOWS,
  RateLimiter,
  type RateLimitFeedback,
  type RateLimiterOptions,
} from '../../../../lambdas/adapters/digitalocean/rate-limiter';
import { RateLimiterRegistry } from '../../../../lambdas/adapters/digitalocean/rate-limiter-registry';
import { ConfigurationError, RateLimitedError } from '../../../../lambdas/core/errors';
import { canaryToken } from './fixtures';
import { ManualClock } from './manual-clock';

describe('RateLimiter', () => {
  function setup(options: Omit<RateLimiterOptions, 'clock'> = {}) {
    const clock = new ManualClock();
    const start = clock.now();
    const limiter = new RateLimiter({ safetyMargin: 0, ...options, clock });
    /** Acquires `count` slots one after the other, settling each at once; resolves with grant times relative to start. */
    const sequential = (count: number, feedback?: (index: number) => RateLimitFeedback) =>
      (async () => {
        const times: number[] = [];
        for (let index = 0; index < count; index++) {
          const permit = await limiter.acquire();
          times.push(clock.now() - start);
          permit.settle(feedback?.(index));
        }
        return times;
      })();
    return { clock, start, limiter, sequential };
  }

  it('given several waiting requests, then it spaces them by lengthMs / limit instead of bursting', async () => {
    const { clock, start, limiter } = setup({ windows: [{ limit: 10, lengthMs: 1_000 }] });
    const granted: number[] = [];
    const all = Array.from({ length: 5 }, () =>
      limiter.acquire().then((permit) => {
        granted.push(clock.now() - start);
        permit.settle();
      }),
    );
    await clock.advance(1_000);
    await Promise.all(all);
    expect(granted).toEqual([0, 100, 200, 300, 400]);
  });

  it('given a reserve of 20%, then ordinary requests stop at 80% of the long window while urgent ones still go', async () => {
    // Prepare: a short window that sets the pace, and a long one that fills up.
    const { clock, start, limiter } = setup({
      windows: [
        { limit: 10, lengthMs: 1_000 },
        { limit: 20, lengthMs: 100_000 },
      ],
      reserve: 0.2,
    });
    const ordinary: number[] = [];
    for (let index = 0; index < 17; index++) {
      void limiter.acquire().then((permit) => {
        ordinary.push(clock.now() - start);
        permit.settle();
      });
    }

    // Act
    await clock.advance(5_000);
    const urgent = limiter.acquire({ urgent: true }).then((permit) => {
      permit.settle();
      return clock.now() - start;
    });
    await clock.advance(1_000);

    // Assess
    expect(ordinary).toHaveLength(16);
    expect(await urgent).toBeLessThan(6_000);
    await clock.advance(100_000);
    expect(ordinary[16]).toBeGreaterThanOrEqual(100_000);
  });

  it.each([-0.1, 1, Number.NaN])('given a reserve of %p, refuses it naming the field', (reserve) => {
    expect(() => new RateLimiter({ reserve })).toThrow(
      /rateLimiter.reserve: expected a fraction in \[0, 1\)/,
    );
  });

  it('adds the safety margin to the spacing', () => {
    const limiter = new RateLimiter({ windows: [{ limit: 250, lengthMs: 60_000 }], safetyMargin: 0.01 });
    expect(limiter.intervalMs).toBeCloseTo(242.4, 6);
  });

  it('given DigitalOcean windows, then 600 requests spread at 250 a minute and no 60 s span holds more than 250', async () => {
    const { clock, sequential } = setup({ windows: DIGITALOCEAN_RATE_LIMIT_WINDOWS, safetyMargin: 0.01 });
    const run = sequential(600);
    await clock.advance(200_000);
    const times = await run;
    expect(times).toHaveLength(600);
    for (let index = 250; index < times.length; index++) {
      expect((times[index] ?? 0) - (times[index - 250] ?? 0)).toBeGreaterThanOrEqual(60_000);
    }
    // Smooth, not bursty: the last request goes out about 599 intervals after the first.
    expect(times[599]).toBeCloseTo(599 * 242.4, 0);
  });

  it('given idle time, then it earns no burst credit', async () => {
    const { clock, limiter, sequential } = setup({ windows: [{ limit: 10, lengthMs: 1_000 }] });
    (await limiter.acquire()).settle();
    await clock.advance(5_000);
    const run = sequential(3);
    await clock.advance(1_000);
    expect(await run).toEqual([5_000, 5_100, 5_200]);
  });

  it('given a grant that comes late by less than one interval, then the next keeps the schedule', async () => {
    const { clock, start, limiter } = setup({ windows: [{ limit: 10, lengthMs: 1_000 }] });
    (await limiter.acquire()).settle();
    await clock.advance(150);
    const late = await limiter.acquire();
    const lateAt = clock.now() - start;
    late.settle();
    const next = limiter.acquire().then(() => clock.now() - start);
    await clock.advance(1_000);
    expect([lateAt, await next]).toEqual([150, 200]);
  });

  it('given a long window that is full, then it waits until the oldest answered request leaves it', async () => {
    const { clock, sequential } = setup({
      windows: [
        { limit: 100, lengthMs: 1_000 },
        { limit: 5, lengthMs: 60_000 },
      ],
    });
    const run = sequential(6);
    await clock.advance(70_000);
    expect(await run).toEqual([0, 10, 20, 30, 40, 60_000]);
  });

  it('given requests still in flight, then they keep counting until answered', async () => {
    const { clock, start, limiter } = setup({
      windows: [
        { limit: 100, lengthMs: 100 },
        { limit: 2, lengthMs: 1_000 },
      ],
    });
    const first = await limiter.acquire();
    await clock.advance(1);
    await limiter.acquire();
    let thirdAt: number | undefined;
    const third = limiter.acquire().then((permit) => {
      thirdAt = clock.now() - start;
      return permit;
    });
    await clock.advance(5_000);
    expect(thirdAt).toBeUndefined();
    first.settle();
    await clock.advance(2_000);
    await third;
    expect(thirdAt).toBe(6_001);
  });

  it('given a 429 with retry-after, then the whole limiter pauses that long', async () => {
    const { clock, start, limiter } = setup({ windows: [{ limit: 100, lengthMs: 1_000 }] });
    (await limiter.acquire()).settle({ rateLimited: true, retryAfterMs: 5_000 });
    const next = limiter.acquire().then(() => clock.now() - start);
    await clock.advance(10_000);
    expect(await next).toBe(5_000);
  });

  it('given a 429 that reports remaining 0, then it pauses but does not read it as others spending the hour', async () => {
    const { limiter } = setup({ windows: DIGITALOCEAN_RATE_LIMIT_WINDOWS });
    (await limiter.acquire()).settle({ rateLimited: true, retryAfterMs: 2_000, limit: 5_000, remaining: 0 });
    expect(limiter.usage().map((window) => window.external)).toEqual([0, 0]);
  });

  it('given a 429 without retry-after, then it pauses for a sixtieth of the shortest window', async () => {
    const { clock, start, limiter } = setup({ windows: [{ limit: 100, lengthMs: 60_000 }] });
    (await limiter.acquire()).settle({ rateLimited: true });
    const next = limiter.acquire().then(() => clock.now() - start);
    await clock.advance(10_000);
    expect(await next).toBe(1_000);
  });

  it('given waiters with a maxWaitMs, then those whose turn comes too late are refused at once, nothing sent', async () => {
    const { clock, start, limiter } = setup({ windows: [{ limit: 10, lengthMs: 1_000 }] });
    const outcomes = Array.from({ length: 3 }, (_, index) =>
      limiter.acquire({ maxWaitMs: 150, request: `GET /v2/actions/${index}` }).then(
        (permit) => {
          permit.settle();
          return clock.now() - start;
        },
        (error: unknown) => error,
      ),
    );
    await clock.advance(0);
    const third = await outcomes[2];
    expect(third).toBeInstanceOf(RateLimitedError);
    expect(third).toMatchObject({
      status: 0,
      id: 'local_rate_limit',
      request: 'GET /v2/actions/2',
      retryAfterSeconds: 1,
    });
    expect(clock.now() - start).toBe(0);
    await clock.advance(1_000);
    expect(await Promise.all(outcomes.slice(0, 2))).toEqual([0, 100]);
  });

  it('given a pause longer than maxWaitMs, then acquire is refused with the pause as retryAfterSeconds', async () => {
    const { limiter } = setup({ windows: [{ limit: 10, lengthMs: 1_000 }] });
    limiter.pause(30_000);
    await expect(limiter.acquire({ maxWaitMs: 1_000 })).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 30,
    });
    expect(limiter.queued).toBe(0);
  });

  describe('given the headers show another client spending the same budget', () => {
    const windows = [
      { limit: 10, lengthMs: 1_000 },
      { limit: 100, lengthMs: 10_000 },
    ];

    it('counts what the other client spent since the previous response in every window, and slows down', async () => {
      const { clock, limiter, sequential } = setup({ windows });
      // Our first two responses: only our own requests counted. Then another client spends 8.
      const run = sequential(4, (index) => ({ limit: 100, remaining: index < 1 ? 99 : 100 - 2 - 8 }));
      await clock.advance(150);
      expect(limiter.usage().map((window) => window.external)).toEqual([8, 8]);
      await clock.advance(5_000);
      const times = await run;
      // Own 2 + external 8 fill the 10-a-second window: the third waits for them to leave it.
      expect(times.slice(0, 2)).toEqual([0, 100]);
      expect(times[2]).toBeGreaterThanOrEqual(1_000);
    });

    it('forgets the oldest external requests when the server counts fewer', async () => {
      const { clock, limiter } = setup({ windows });
      (await limiter.acquire()).settle({ limit: 100, remaining: 100 - 1 - 30 });
      expect(limiter.usage()[1]?.external).toBe(30);
      await clock.advance(100);
      (await limiter.acquire()).settle({ limit: 100, remaining: 100 - 2 - 20 });
      expect(limiter.usage()[1]?.external).toBe(20);
    });

    it('on the first response, dates the unknown usage no earlier than a window before ratelimit-reset', async () => {
      const { clock, limiter } = setup({ windows });
      (await limiter.acquire()).settle({
        limit: 100,
        remaining: 100 - 1 - 50,
        resetAtMs: clock.now() + 9_500,
      });
      // Spread over the last 500 ms: all 50 still inside the 1 s window.
      expect(limiter.usage().map((window) => window.external)).toEqual([50, 50]);
      await clock.advance(600);
      expect(limiter.usage().map((window) => window.external)).toEqual([40, 50]);
      await clock.advance(400);
      expect(limiter.usage().map((window) => window.external)).toEqual([0, 50]);
    });
  });

  it('given headers for a limit it has no window for, then it ignores them unless nothing remains', async () => {
    const { clock, start, limiter } = setup({ windows: [{ limit: 125, lengthMs: 2_000 }] });
    (await limiter.acquire()).settle({ limit: 5_000, remaining: 10 });
    expect(limiter.usage()).toEqual([{ limit: 125, lengthMs: 2_000, own: 1, external: 0 }]);
    const second = limiter.acquire();
    await clock.advance(16);
    (await second).settle({ limit: 5_000, remaining: 0, resetAtMs: clock.now() + 1_500 });
    const next = limiter.acquire().then(() => clock.now() - start);
    await clock.advance(5_000);
    expect(await next).toBe(16 + 1_500);
  });

  it.each([
    [{ windows: [] }, /expected at least one window/],
    [{ windows: [{ limit: 0, lengthMs: 1 }] }, /expected a positive integer limit/],
    [{ safetyMargin: -1 }, /safetyMargin: expected a fraction >= 0, got -1/],
  ])('given %j, then construction fails naming the option', (options, message) => {
    expect(() => new RateLimiter(options)).toThrow(ConfigurationError);
    expect(() => new RateLimiter(options)).toThrow(message);
  });
});

describe('RateLimiterRegistry', () => {
  it('gives every client on one token the same limiter, and another token its own', () => {
    const registry = new RateLimiterRegistry();
    const token = canaryToken();
    const first = registry.forToken(token);
    expect(registry.forToken(token)).toBe(first);
    expect(registry.forToken(canaryToken())).not.toBe(first);
    expect(registry.size).toBe(2);
  });

  it('keeps the first options for a token', () => {
    const registry = new RateLimiterRegistry();
    const token = canaryToken();
    const first = registry.forToken(token, { windows: [{ limit: 10, lengthMs: 1_000 }], safetyMargin: 0 });
    expect(registry.forToken(token, { windows: DIGITALOCEAN_RATE_LIMIT_WINDOWS }).intervalMs).toBe(
      first.intervalMs,
    );
    expect(first.intervalMs).toBe(100);
  });
});
