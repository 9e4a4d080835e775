import type { FastifyInstance, FastifySchema } from 'fastify';

/** One registered route as declared: what a client may call and the schema it must meet. */
export interface CatalogRoute {
  readonly method: string;
  readonly url: string;
  readonly schema: FastifySchema | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app registered (HEAD included), in registration order. */
    routeCatalog: readonly CatalogRoute[];
  }
}

/**
 * Records each route as it is registered, so tooling (the hostile-request test) walks the
 * app's real surface and a new route is covered without anyone listing it. printRoutes()
 * gives methods and paths but not schemas. Must run before any route is registered: an
 * onRoute hook sees only the routes added after it.
 */
export function recordRoutes(app: FastifyInstance): void {
  const routes: CatalogRoute[] = [];
  app.decorate('routeCatalog', routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method: String(method), url: route.url, schema: route.schema });
  });
}
