import { notFound } from '../http/api-error';
import type { Route } from '../http/router';
import type { RouteContext } from './route-context';

/** `DELETE /v2/snapshots/{id}`: droplet snapshot ids are integers, sent as a number or a string. */
export function snapshotRoutes(context: RouteContext): Route[] {
  return [
    {
      method: 'DELETE',
      template: '/v2/snapshots/{snapshot_id}',
      handler: (request) => {
        const raw = request.params.snapshot_id ?? '';
        if (!/^\d{1,15}$/.test(raw) || !context.store().deleteSnapshot(Number(raw))) throw notFound();
        return { status: 204 };
      },
    },
  ];
}
