import { PENDING_EVENT_MESSAGE } from '../engine/action-rules';
import { newDroplet, type CreateRequest } from '../engine/create-droplet';
import { notFound, unprocessable } from '../http/api-error';
import type { Route } from '../http/router';
import { dropletUrn } from '../store';
import { createDropletRules } from '../validation/create-droplet-rules';
import { pathId } from './path-ids';
import { renderDropletIn } from './render-droplet-in';
import type { RouteContext } from './route-context';

/**
 * `POST /v2/droplets` (one droplet, from a public image, a snapshot or a backup) and `DELETE
 * /v2/droplets/{id}`. Creating answers 202 with the droplet `new` and `links.actions` naming its
 * create action; it lands in the default project. Destroying answers 204, or 422 while an action
 * runs on the droplet (its create included), as DigitalOcean does.
 */
export function dropletLifecycleRoutes(context: RouteContext, seed: number): Route[] {
  return [
    {
      method: 'POST',
      template: '/v2/droplets',
      handler: (request) => {
        const body = createDropletRules(request.body) as unknown as CreateRequest;
        const store = context.store();
        const now = context.clock.now();
        const droplet = newDroplet(store, body, now, seed);
        store.addDroplet(droplet);
        for (const volumeId of body.volumes ?? []) {
          store.volumes.get(volumeId)!.dropletIds = [droplet.id];
          droplet.volumeIds.push(volumeId);
        }
        const project = store.defaultProject();
        if (project) store.assignResource(project.id, dropletUrn(droplet.id), now);
        const sourceSize = droplet.sourceImage?.sizeGigabytes ?? 0;
        const create = context.engine().startCreate(droplet, sourceSize);
        store.recordHistory({
          kind: 'droplet-created',
          at: now,
          dropletId: droplet.id,
          name: droplet.name,
          imageId: droplet.imageId,
          tags: [...droplet.tags],
          actionId: create.id,
        });
        return {
          status: 202,
          body: {
            droplet: renderDropletIn(store, droplet, now),
            links: {
              actions: [{ id: create.id, rel: 'create', href: `${request.baseUrl}/v2/actions/${create.id}` }],
            },
          },
        };
      },
    },
    {
      method: 'DELETE',
      template: '/v2/droplets/{droplet_id}',
      handler: (request) => {
        const store = context.store();
        const droplet = store.droplets.get(pathId(request.params.droplet_id));
        if (!droplet) throw notFound();
        if (droplet.locked) throw unprocessable(PENDING_EVENT_MESSAGE);
        store.removeDroplet(droplet.id);
        store.recordHistory({
          kind: 'droplet-destroyed',
          at: context.clock.now(),
          dropletId: droplet.id,
          name: droplet.name,
        });
        return { status: 204 };
      },
    },
  ];
}
