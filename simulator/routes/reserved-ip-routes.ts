import { ApiError, notFound, unprocessable } from '../http/api-error';
import type { ApiRequest } from '../http/api-request';
import { renderAction } from '../http/render';
import { ipv4AsInteger, renderReservedIp } from '../http/render-resources';
import type { Route } from '../http/router';
import type { ReservedIpRecord } from '../model';
import { checkBody, isInteger, isOneOf } from '../validation/body-rules';
import { listPage } from './droplet-routes';
import { renderDropletIn } from './render-droplet-in';
import type { RouteContext } from './route-context';

/**
 * Reserved IPs: list, read, and `assign`/`unassign` actions that complete after a few seconds
 * (scaled). A reserved IP outlives its droplet: destroying the droplet leaves it unassigned.
 */
export function reservedIpRoutes(context: RouteContext): Route[] {
  const render = (ip: ReservedIpRecord) => {
    const store = context.store();
    const droplet = ip.dropletId === null ? undefined : store.droplets.get(ip.dropletId);
    return renderReservedIp(ip, droplet && renderDropletIn(store, droplet, context.clock.now()));
  };
  const reservedIp = (request: ApiRequest) => {
    const found = context.store().reservedIps.get(request.params.reserved_ip ?? '');
    if (!found) throw notFound();
    return found;
  };
  return [
    {
      method: 'GET',
      template: '/v2/reserved_ips',
      handler: (request) =>
        listPage(request, 'reserved_ips', [...context.store().reservedIps.values()], render),
    },
    {
      method: 'GET',
      template: '/v2/reserved_ips/{reserved_ip}',
      handler: (request) => ({ status: 200, body: { reserved_ip: render(reservedIp(request)) } }),
    },
    {
      method: 'POST',
      template: '/v2/reserved_ips/{reserved_ip}/actions',
      handler: (request) => {
        const ip = reservedIp(request);
        const body = checkBody(
          request.body,
          {
            type: { check: isOneOf(['assign', 'unassign']), required: true },
            droplet_id: { check: isInteger({ min: 1 }) },
          },
          { what: 'with a "type"', context: 'a reserved IP action', extra: 'refuse' },
        ) as { type: 'assign' | 'unassign'; droplet_id?: number };
        if (ip.locked)
          throw unprocessable(
            `The reserved IP ${ip.ip} has an action in progress; try again when it completes.`,
          );
        const store = context.store();
        let dropletId: number;
        if (body.type === 'assign') {
          if (body.droplet_id === undefined)
            throw unprocessable('droplet_id: required for an "assign" action, expected an integer');
          const droplet = store.droplets.get(body.droplet_id);
          if (!droplet)
            throw unprocessable(`droplet_id: expected a droplet of this account, got: ${body.droplet_id}`);
          if (droplet.regionSlug !== ip.regionSlug) {
            throw unprocessable(
              `droplet_id: expected a droplet in ${ip.regionSlug}, got one in ${droplet.regionSlug}`,
            );
          }
          const other = [...store.reservedIps.values()].find(
            (candidate) => candidate.dropletId === droplet.id && candidate !== ip,
          );
          if (other)
            throw unprocessable(`droplet_id: droplet ${droplet.id} already has the reserved IP ${other.ip}`);
          dropletId = droplet.id;
        } else {
          if (body.droplet_id !== undefined)
            throw unprocessable('droplet_id: not a parameter of an "unassign" action');
          if (ip.dropletId === null)
            throw unprocessable(`The reserved IP ${ip.ip} is not assigned to a droplet.`);
          dropletId = ip.dropletId;
        }
        const droplet = store.droplets.get(dropletId)!;
        ip.locked = true;
        const action = context
          .engine()
          .startResourceAction(
            droplet,
            { type: body.type === 'assign' ? 'assign_ip' : 'unassign_ip', ip: ip.ip },
            ipv4AsInteger(ip.ip),
          );
        return { status: 201, body: { action: renderAction(action) } };
      },
    },
    {
      method: 'GET',
      template: '/v2/reserved_ips/{reserved_ip}/actions/{action_id}',
      handler: (request) => {
        const ip = reservedIp(request);
        const action = context.store().actions.get(Number(request.params.action_id));
        if (!action || action.resourceType !== 'reserved_ip' || action.params.ip !== ip.ip) throw notFound();
        return { status: 200, body: { action: renderAction(action) } };
      },
    },
  ];
}

/** A 400 for a list filter with a value the spec does not allow. */
export function badFilter(name: string, value: string, expected: string): ApiError {
  return new ApiError(400, 'bad_request', `${name}: expected ${expected}, got: '${value}'`);
}
