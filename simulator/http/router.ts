import type { ApiRequest, ApiResult } from './api-request';

export type RouteHandler = (request: ApiRequest) => ApiResult | Promise<ApiResult>;

export interface Route {
  readonly method: string;
  /** The path as the OpenAPI spec writes it, e.g. `/v2/droplets/{droplet_id}/actions`. */
  readonly template: string;
  readonly handler: RouteHandler;
}

interface CompiledRoute extends Route {
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/** Matches a method and path against spec-style templates; `{name}` matches one path segment. */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.template
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{(\w+)\}/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        });
      return { ...route, names, pattern: new RegExp(`^${source}/?$`) };
    });
  }

  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1]!);
      });
      return { route, params };
    }
    return undefined;
  }
}
