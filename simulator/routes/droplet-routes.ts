import { ApiError, notFound } from '../http/api-error';
import { inOrder, pageEnvelope, readPage } from '../http/pagination';
import { renderBackup, renderSnapshot } from '../http/render';
import type { ApiRequest } from '../http/api-request';
import type { Route } from '../http/router';
import type { SnapshotRecord } from '../model';
import { KERNELS } from '../reference-data';
import { pathId } from './path-ids';
import { renderDropletIn } from './render-droplet-in';
import type { RouteContext } from './route-context';

/** One page of a list under `key`, in stored order, with DigitalOcean's `links` and `meta`. */
export function listPage<T>(
  request: ApiRequest,
  key: string,
  items: readonly T[],
  render: (item: T) => unknown,
) {
  const page = readPage(request);
  return {
    status: 200,
    body: { [key]: inOrder(items, page).map(render), ...pageEnvelope(request, page, items.length) },
  };
}

/**
 * Reads of droplets: `GET /v2/droplets[?tag_name=]`, `GET /v2/droplets/{id}`, and its snapshots,
 * backups and kernels.
 */
export function dropletRoutes(context: RouteContext): Route[] {
  const droplet = (request: ApiRequest) => {
    const found = context.store().droplets.get(pathId(request.params.droplet_id));
    if (!found) throw notFound();
    return found;
  };
  const images = (ids: readonly number[], from: ReadonlyMap<number, SnapshotRecord>) =>
    ids.map((id) => from.get(id)).filter((image): image is SnapshotRecord => image !== undefined);
  return [
    {
      method: 'GET',
      template: '/v2/droplets',
      handler: (request) => {
        const store = context.store();
        const tag = request.url.searchParams.get('tag_name');
        const name = request.url.searchParams.get('name');
        if (tag !== null && name !== null) {
          throw new ApiError(400, 'bad_request', 'name can not be combined with tag_name');
        }
        const tagged = tag === null ? store.dropletList : (store.dropletsByTag.get(tag) ?? []);
        // DigitalOcean's `name` filter: exact matches only, case-insensitive.
        const droplets =
          name === null ? tagged : tagged.filter((item) => item.name.toLowerCase() === name.toLowerCase());
        const now = context.clock.now();
        return listPage(request, 'droplets', droplets, (item) => renderDropletIn(store, item, now));
      },
    },
    {
      method: 'GET',
      template: '/v2/droplets/{droplet_id}',
      handler: (request) => ({
        status: 200,
        body: { droplet: renderDropletIn(context.store(), droplet(request), context.clock.now()) },
      }),
    },
    {
      method: 'GET',
      template: '/v2/droplets/{droplet_id}/snapshots',
      handler: (request) =>
        listPage(
          request,
          'snapshots',
          images(droplet(request).snapshotIds, context.store().snapshots),
          renderSnapshot,
        ),
    },
    {
      method: 'GET',
      template: '/v2/droplets/{droplet_id}/backups',
      handler: (request) =>
        listPage(
          request,
          'backups',
          images(droplet(request).backupIds, context.store().backups),
          renderBackup,
        ),
    },
    {
      method: 'GET',
      template: '/v2/droplets/{droplet_id}/kernels',
      handler: (request) => {
        droplet(request);
        return listPage(request, 'kernels', KERNELS, (kernel) => kernel);
      },
    },
  ];
}
