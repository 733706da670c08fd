import { notFound } from '../http/api-error';
import { inOrder, pageEnvelope, readPage } from '../http/pagination';
import { renderDroplet, renderSnapshot } from '../http/render';
import type { Route } from '../http/router';
import type { SnapshotRecord } from '../model';
import { pathId } from './path-ids';
import type { RouteContext } from './route-context';

/** `GET /v2/droplets[?tag_name=]`, `GET /v2/droplets/{id}` and `GET /v2/droplets/{id}/snapshots`. */
export function dropletRoutes(context: RouteContext): Route[] {
  return [
    {
      method: 'GET',
      template: '/v2/droplets',
      handler: (request) => {
        const store = context.store();
        const tag = request.url.searchParams.get('tag_name');
        const droplets = tag === null ? store.dropletList : (store.dropletsByTag.get(tag) ?? []);
        const page = readPage(request);
        const now = context.clock.now();
        return {
          status: 200,
          body: {
            droplets: inOrder(droplets, page).map((droplet) => renderDroplet(droplet, now)),
            ...pageEnvelope(request, page, droplets.length),
          },
        };
      },
    },
    {
      method: 'GET',
      template: '/v2/droplets/{droplet_id}',
      handler: (request) => {
        const droplet = context.store().droplets.get(pathId(request.params.droplet_id));
        if (!droplet) throw notFound();
        return { status: 200, body: { droplet: renderDroplet(droplet, context.clock.now()) } };
      },
    },
    {
      method: 'GET',
      template: '/v2/droplets/{droplet_id}/snapshots',
      handler: (request) => {
        const store = context.store();
        const droplet = store.droplets.get(pathId(request.params.droplet_id));
        if (!droplet) throw notFound();
        const snapshots = droplet.snapshotIds
          .map((id) => store.snapshots.get(id))
          .filter((snapshot): snapshot is SnapshotRecord => snapshot !== undefined);
        const page = readPage(request);
        return {
          status: 200,
          body: {
            snapshots: inOrder(snapshots, page).map(renderSnapshot),
            ...pageEnvelope(request, page, snapshots.length),
          },
        };
      },
    },
  ];
}
