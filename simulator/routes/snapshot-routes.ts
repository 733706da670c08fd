import { ApiError, notFound } from '../http/api-error';
import { renderAccountSnapshot, renderPrivateImage, renderPublicImage } from '../http/render';
import type { Route } from '../http/router';
import { IMAGES_BY_ID, IMAGES_BY_SLUG } from '../reference-data';
import { listPage } from './droplet-routes';
import type { RouteContext } from './route-context';

const NUMERIC_ID = /^\d{1,15}$/;

/**
 * The account's snapshots (`GET /v2/snapshots[?resource_type=]`, `GET` and `DELETE
 * /v2/snapshots/{id}`; droplet snapshot ids are integers, sent as a number or a string) and
 * `GET /v2/images/{id}` for public images (by id or slug), snapshots and backups.
 */
export function snapshotRoutes(context: RouteContext): Route[] {
  return [
    {
      method: 'GET',
      template: '/v2/snapshots',
      handler: (request) => {
        const type = request.url.searchParams.get('resource_type');
        if (type !== null && type !== 'droplet' && type !== 'volume') {
          throw new ApiError(400, 'bad_request', `resource_type: expected droplet or volume, got: '${type}'`);
        }
        // The simulator holds droplet snapshots only.
        const snapshots = type === 'volume' ? [] : [...context.store().snapshots.values()];
        return listPage(request, 'snapshots', snapshots, renderAccountSnapshot);
      },
    },
    {
      method: 'GET',
      template: '/v2/snapshots/{snapshot_id}',
      handler: (request) => {
        const raw = request.params.snapshot_id ?? '';
        const snapshot = NUMERIC_ID.test(raw) ? context.store().snapshots.get(Number(raw)) : undefined;
        if (!snapshot) throw notFound();
        return { status: 200, body: { snapshot: renderAccountSnapshot(snapshot) } };
      },
    },
    {
      method: 'DELETE',
      template: '/v2/snapshots/{snapshot_id}',
      handler: (request) => {
        const raw = request.params.snapshot_id ?? '';
        const store = context.store();
        const snapshot = NUMERIC_ID.test(raw) ? store.snapshots.get(Number(raw)) : undefined;
        if (!snapshot || !store.deleteSnapshot(snapshot.id)) throw notFound();
        store.recordHistory({
          kind: 'snapshot-deleted',
          at: context.clock.now(),
          snapshotId: snapshot.id,
          dropletId: snapshot.dropletId,
          name: snapshot.name,
        });
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      template: '/v2/images/{image_id}',
      handler: (request) => {
        const raw = request.params.image_id ?? '';
        const store = context.store();
        if (!NUMERIC_ID.test(raw)) {
          const image = IMAGES_BY_SLUG.get(raw);
          if (!image) throw notFound();
          return { status: 200, body: { image: renderPublicImage(image) } };
        }
        const id = Number(raw);
        const publicImage = IMAGES_BY_ID.get(id);
        const snapshot = store.snapshots.get(id);
        const backup = store.backups.get(id);
        const image = publicImage
          ? renderPublicImage(publicImage)
          : snapshot
            ? renderPrivateImage(snapshot, 'snapshot')
            : backup && renderPrivateImage(backup, 'backup');
        if (!image) throw notFound();
        return { status: 200, body: { image } };
      },
    },
  ];
}
