import { notFound } from '../http/api-error';
import type { ApiRequest } from '../http/api-request';
import { renderProject, renderProjectResource } from '../http/render-resources';
import type { Route } from '../http/router';
import { checkBody, isArrayOf, isString } from '../validation/body-rules';
import { listPage } from './droplet-routes';
import type { RouteContext } from './route-context';

const URN = /^do:(dbaas|domain|droplet|floatingip|loadbalancer|space|volume|kubernetes|vpc):\S+$/;

/**
 * Projects and their resources. A resource is in exactly one project: assigning it moves it.
 * `default` names the default project, where new droplets land. Assigning a droplet or volume
 * that does not exist reports `not_found` for that URN and assigns nothing for it.
 */
export function projectRoutes(context: RouteContext): Route[] {
  const project = (request: ApiRequest) => {
    const store = context.store();
    const id = request.params.project_id ?? '';
    const found = id === 'default' ? store.defaultProject() : store.projects.get(id);
    if (!found) throw notFound();
    return found;
  };
  const exists = (urn: string): boolean => {
    const [, kind, id] = urn.split(':');
    const store = context.store();
    if (kind === 'droplet') return store.droplets.has(Number(id));
    if (kind === 'volume') return store.volumes.has(id ?? '');
    return true;
  };
  return [
    {
      method: 'GET',
      template: '/v2/projects',
      handler: (request) =>
        listPage(request, 'projects', [...context.store().projects.values()], renderProject),
    },
    {
      method: 'GET',
      template: '/v2/projects/{project_id}/resources',
      handler: (request) =>
        listPage(request, 'resources', project(request).resources, (resource) =>
          renderProjectResource(resource, request.baseUrl),
        ),
    },
    {
      method: 'POST',
      template: '/v2/projects/{project_id}/resources',
      handler: (request) => {
        const target = project(request);
        const { resources } = checkBody(
          request.body,
          {
            resources: {
              check: isArrayOf(isString({ pattern: URN, what: 'a URN such as do:droplet:4126873' })),
              required: true,
            },
          },
          { what: 'with "resources"', extra: 'refuse' },
        ) as { resources: string[] };
        const now = context.clock.now();
        const store = context.store();
        const answered = resources.map((urn) => {
          if (!exists(urn))
            return {
              ...renderProjectResource({ urn, assignedAt: now }, request.baseUrl),
              status: 'not_found',
            };
          store.assignResource(target.id, urn, now);
          return { ...renderProjectResource({ urn, assignedAt: now }, request.baseUrl), status: 'assigned' };
        });
        return { status: 200, body: { resources: answered } };
      },
    },
  ];
}
