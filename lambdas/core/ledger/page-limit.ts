import type { PageOptions } from '../ports/ledger-store';
import { ledgerInputError } from './ledger-input-error';

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

/** The page size of a query, checked: DynamoDB would accept a larger `Limit`, but one page must stay small. */
export function pageLimit(options: PageOptions | undefined): number {
  const limit = options?.limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw ledgerInputError('limit', limit, `an integer from 1 to ${MAX_PAGE_LIMIT}`);
  }
  return limit;
}
