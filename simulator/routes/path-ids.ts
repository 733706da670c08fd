import { notFound } from '../http/api-error';

/** A numeric id from the path; anything else names no resource, so it is a 404 as on the real API. */
export function pathId(raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) throw notFound();
  return Number(raw);
}
