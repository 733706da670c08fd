import { renderSize } from '../http/render';
import type { Route } from '../http/router';
import { listPage } from './droplet-routes';
import type { RouteContext } from './route-context';

/** `GET /v2/sizes`: the sizes the account can create, with prices, regions and availability. */
export function sizeRoutes(context: RouteContext): Route[] {
  return [
    {
      method: 'GET',
      template: '/v2/sizes',
      handler: (request) => listPage(request, 'sizes', [...context.store().sizes.values()], renderSize),
    },
  ];
}
