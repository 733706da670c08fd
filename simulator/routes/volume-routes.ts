import { notFound, unprocessable } from '../http/api-error';
import type { ApiRequest } from '../http/api-request';
import { renderAction } from '../http/render';
import { renderVolume } from '../http/render-resources';
import type { Route } from '../http/router';
import { REGIONS_BY_SLUG } from '../reference-data';
import { checkBody, isArrayOf, isInteger, isOneOf, isString } from '../validation/body-rules';
import { listPage } from './droplet-routes';
import { badFilter } from './reserved-ip-routes';
import type { RouteContext } from './route-context';

/**
 * Block storage volumes: list (by `name`, `region`), read, and `attach`/`detach` actions with
 * `droplet_id` and `region`, which complete after a few seconds (scaled). A droplet lists its
 * attached volumes in `volume_ids`; a snapshot does not include them.
 */
export function volumeRoutes(context: RouteContext): Route[] {
  const volume = (request: ApiRequest) => {
    const found = context.store().volumes.get(request.params.volume_id ?? '');
    if (!found) throw notFound();
    return found;
  };
  return [
    {
      method: 'GET',
      template: '/v2/volumes',
      handler: (request) => {
        const name = request.url.searchParams.get('name');
        const region = request.url.searchParams.get('region');
        if (region !== null && !REGIONS_BY_SLUG.has(region)) badFilterFor('region', region);
        const volumes = [...context.store().volumes.values()].filter(
          (candidate) =>
            (name === null || candidate.name === name) &&
            (region === null || candidate.regionSlug === region),
        );
        return listPage(request, 'volumes', volumes, renderVolume);
      },
    },
    {
      method: 'GET',
      template: '/v2/volumes/{volume_id}',
      handler: (request) => ({ status: 200, body: { volume: renderVolume(volume(request)) } }),
    },
    {
      method: 'POST',
      template: '/v2/volumes/{volume_id}/actions',
      handler: (request) => {
        const target = volume(request);
        const body = checkBody(
          request.body,
          {
            type: { check: isOneOf(['attach', 'detach']), required: true },
            droplet_id: { check: isInteger({ min: 1 }), required: true },
            region: { check: isString({ pattern: /^[a-z]{3}\d$/, what: 'a region slug' }) },
            tags: { check: isArrayOf(isString(), { nullable: true }) },
          },
          { what: 'with a "type"', context: 'a volume action', extra: 'refuse' },
        ) as { type: 'attach' | 'detach'; droplet_id: number; region?: string };
        if (body.region !== undefined && body.region !== target.regionSlug) {
          throw unprocessable(
            `region: expected the volume's region ${target.regionSlug}, got: '${body.region}'`,
          );
        }
        if (target.locked)
          throw unprocessable(
            `The volume ${target.id} has an action in progress; try again when it completes.`,
          );
        const droplet = context.store().droplets.get(body.droplet_id);
        if (!droplet)
          throw unprocessable(`droplet_id: expected a droplet of this account, got: ${body.droplet_id}`);
        if (body.type === 'attach') {
          if (droplet.regionSlug !== target.regionSlug) {
            throw unprocessable(
              `droplet_id: expected a droplet in ${target.regionSlug}, got one in ${droplet.regionSlug}`,
            );
          }
          if (target.dropletIds.length > 0) {
            throw unprocessable(
              `The volume ${target.id} is already attached to droplet ${target.dropletIds[0]}.`,
            );
          }
        } else if (!target.dropletIds.includes(droplet.id)) {
          throw unprocessable(`droplet_id: the volume ${target.id} is not attached to droplet ${droplet.id}`);
        }
        target.locked = true;
        const action = context
          .engine()
          .startResourceAction(
            droplet,
            { type: body.type === 'attach' ? 'attach_volume' : 'detach_volume', volume_id: target.id },
            null,
          );
        return { status: 202, body: { action: renderAction(action) } };
      },
    },
  ];
}

function badFilterFor(name: string, value: string): never {
  throw badFilter(name, value, `one of ${[...REGIONS_BY_SLUG.keys()].join(', ')}`);
}
