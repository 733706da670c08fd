import { notFound, unprocessable } from '../http/api-error';
import type { ApiRequest } from '../http/api-request';
import { renderFirewall } from '../http/render-resources';
import type { Route } from '../http/router';
import { checkBody, isArrayOf, isInteger } from '../validation/body-rules';
import { listPage } from './droplet-routes';
import type { RouteContext } from './route-context';

/**
 * Cloud firewalls that name droplets by id (and by tag). Adding or removing droplets answers 204
 * and is idempotent; destroying a droplet removes its id from every firewall.
 */
export function firewallRoutes(context: RouteContext): Route[] {
  const firewall = (request: ApiRequest) => {
    const found = context.store().firewalls.get(request.params.firewall_id ?? '');
    if (!found) throw notFound();
    return found;
  };
  const dropletIds = (request: ApiRequest): number[] => {
    const body = checkBody(
      request.body,
      { droplet_ids: { check: isArrayOf(isInteger({ min: 1 })), required: true } },
      { what: 'with "droplet_ids"', extra: 'refuse' },
    ) as { droplet_ids: number[] };
    return body.droplet_ids;
  };
  return [
    {
      method: 'GET',
      template: '/v2/firewalls',
      handler: (request) =>
        listPage(request, 'firewalls', [...context.store().firewalls.values()], renderFirewall),
    },
    {
      method: 'GET',
      template: '/v2/firewalls/{firewall_id}',
      handler: (request) => ({ status: 200, body: { firewall: renderFirewall(firewall(request)) } }),
    },
    {
      method: 'POST',
      template: '/v2/firewalls/{firewall_id}/droplets',
      handler: (request) => {
        const target = firewall(request);
        const ids = dropletIds(request);
        const missing = ids.filter((id) => !context.store().droplets.has(id));
        if (missing.length > 0)
          throw unprocessable(`droplet_ids: expected droplets of this account, got: ${missing.join(', ')}`);
        target.dropletIds = [...new Set([...target.dropletIds, ...ids])];
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      template: '/v2/firewalls/{firewall_id}/droplets',
      handler: (request) => {
        const target = firewall(request);
        const ids = new Set(dropletIds(request));
        target.dropletIds = target.dropletIds.filter((id) => !ids.has(id));
        return { status: 204 };
      },
    },
  ];
}
