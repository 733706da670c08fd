import type { ActionLedger } from './action-ledger';

/**
 * The reads an audit needs, and nothing that writes: a droplet's items, a policy's partition and
 * the by-status index, each a paged `Query`. A narrow view of the ledger, so that the audit read
 * model depends on three queries rather than the whole store.
 */
export type AuditQueries = Pick<ActionLedger, 'queryByDroplet' | 'queryByPolicy' | 'queryByStatus'>;
