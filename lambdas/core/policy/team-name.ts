import * as z from 'zod';

/** The team of a policy that names none: the deployment's own token. */
export const DEFAULT_TEAM = 'default';

/**
 * A team: who owns a policy's droplets and whose DigitalOcean token starts its actions. Each team
 * has its own token, rate limiter and initiate concurrency, so that one team's 429s or backlog
 * never hold back another's ticks. The name becomes part of AWS resource ids and environment
 * keys, hence lower-case letters, digits and `-`, 1 to 32 characters.
 */
export const teamNameSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, {
  message: 'expected 1 to 32 lower-case letters, digits or "-", not starting or ending with "-"',
});
