import type { ApiRequest } from './api-request';
import { unprocessable } from './api-error';

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 200;

export interface PageRequest {
  readonly page: number;
  readonly perPage: number;
}

function positiveInteger(request: ApiRequest, name: string, fallback: number): number {
  const raw = request.url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw unprocessable(`${name}: expected a positive integer, got: '${raw}'`);
  }
  return value;
}

/** `page` (from 1) and `per_page` (default 20, capped at 200 as DigitalOcean caps it). */
export function readPage(request: ApiRequest): PageRequest {
  return {
    page: positiveInteger(request, 'page', 1),
    perPage: Math.min(MAX_PER_PAGE, positiveInteger(request, 'per_page', DEFAULT_PER_PAGE)),
  };
}

/**
 * `links.pages` with absolute URLs on the simulator, keeping the other query parameters: `first`
 * and `prev` after the first page, `next` and `last` before the last, and `meta.total`.
 */
export function pageEnvelope(request: ApiRequest, page: PageRequest, total: number) {
  const lastPage = Math.max(1, Math.ceil(total / page.perPage));
  const link = (target: number): string => {
    const url = new URL(request.url.pathname, request.baseUrl);
    request.url.searchParams.forEach((value, key) => url.searchParams.set(key, value));
    url.searchParams.set('page', String(target));
    url.searchParams.set('per_page', String(page.perPage));
    return url.toString();
  };
  const pages: Record<string, string> = {};
  if (page.page > 1) {
    pages.first = link(1);
    pages.prev = link(Math.min(page.page - 1, lastPage));
  }
  if (page.page < lastPage) {
    pages.last = link(lastPage);
    pages.next = link(page.page + 1);
  }
  // DigitalOcean sends `links: {}` when everything fits on one page.
  return { links: Object.keys(pages).length > 0 ? { pages } : {}, meta: { total } };
}

/** The slice of `items` (oldest first) for a page read newest first. */
export function newestFirst<T>(items: readonly T[], page: PageRequest): T[] {
  const result: T[] = [];
  const start = items.length - 1 - (page.page - 1) * page.perPage;
  for (let index = start; index >= 0 && result.length < page.perPage; index -= 1) {
    result.push(items[index]!);
  }
  return result;
}

/** The slice of `items` for a page read in stored order. */
export function inOrder<T>(items: readonly T[], page: PageRequest): T[] {
  const start = (page.page - 1) * page.perPage;
  return items.slice(start, start + page.perPage);
}
