import { refusalReason } from '../engine/action-rules';
import { notFound, unprocessable } from '../http/api-error';
import { inOrder, newestFirst, pageEnvelope, readPage } from '../http/pagination';
import { renderAction } from '../http/render';
import type { ApiRequest } from '../http/api-request';
import type { Route } from '../http/router';
import type { ActionRecord } from '../model';
import { BULK_TYPES, parseActionBody } from './action-body';
import { pathId } from './path-ids';
import type { RouteContext } from './route-context';

/** Starting actions (per droplet and by tag) and reading them back. */
export function actionRoutes(context: RouteContext): Route[] {
  return [
    {
      method: 'POST',
      template: '/v2/droplets/actions',
      handler: (request) => {
        const tag = request.url.searchParams.get('tag_name');
        if (!tag) {
          throw unprocessable(
            `tag_name: expected the tag of the droplets to act on, got: ${JSON.stringify(tag ?? '')}`,
          );
        }
        const action = parseActionBody(request.body);
        if (!BULK_TYPES.includes(action.type)) {
          throw unprocessable(
            `type: '${action.type}' cannot be started by tag; expected one of ${BULK_TYPES.join(', ')}`,
          );
        }
        const engine = context.engine();
        const droplets = context.store().dropletsByTag.get(tag) ?? [];
        // One action per droplet, skipping none: a droplet that cannot carry it out gets an errored one.
        if (action.type === 'power_off') droplets.forEach((droplet) => engine.interruptShutdown(droplet));
        const actions = droplets.map((droplet) =>
          refusalReason(droplet, action) === undefined
            ? engine.start(droplet, action)
            : engine.startErrored(droplet, action),
        );
        return { status: 201, body: { actions: actions.map(renderAction) } };
      },
    },
    {
      method: 'POST',
      template: '/v2/droplets/{droplet_id}/actions',
      handler: (request) => {
        const droplet = context.store().droplets.get(pathId(request.params.droplet_id));
        if (!droplet) throw notFound();
        const action = parseActionBody(request.body);
        if (action.type === 'power_off') context.engine().interruptShutdown(droplet);
        const refusal = refusalReason(droplet, action);
        if (refusal !== undefined) throw unprocessable(refusal);
        return { status: 201, body: { action: renderAction(context.engine().start(droplet, action)) } };
      },
    },
    {
      method: 'GET',
      template: '/v2/actions',
      handler: (request) => {
        return actionListPage(request, context.store().actionList, context);
      },
    },
    {
      method: 'GET',
      template: '/v2/actions/{action_id}',
      handler: (request) => {
        const action = context.store().actions.get(pathId(request.params.action_id));
        if (!action) throw notFound();
        return { status: 200, body: { action: renderAction(action) } };
      },
    },
    {
      method: 'GET',
      template: '/v2/droplets/{droplet_id}/actions',
      handler: (request) => {
        const store = context.store();
        const dropletId = pathId(request.params.droplet_id);
        if (!store.droplets.has(dropletId)) throw notFound();
        return actionListPage(request, store.actionsByDroplet.get(dropletId) ?? [], context);
      },
    },
    {
      method: 'GET',
      template: '/v2/droplets/{droplet_id}/actions/{action_id}',
      handler: (request) => {
        const dropletId = pathId(request.params.droplet_id);
        const action = context.store().actions.get(pathId(request.params.action_id));
        if (!action || action.dropletId !== dropletId) throw notFound();
        return { status: 200, body: { action: renderAction(action) } };
      },
    },
  ];
}

/** One page of an action list in the order set (newest first by default), with DigitalOcean's `links` and `meta`. */
function actionListPage(request: ApiRequest, actions: readonly ActionRecord[], context: RouteContext) {
  const page = readPage(request);
  const read = context.actionListOrder() === 'oldest-first' ? inOrder : newestFirst;
  return {
    status: 200,
    body: {
      actions: read(actions, page).map(renderAction),
      ...pageEnvelope(request, page, actions.length),
    },
  };
}
