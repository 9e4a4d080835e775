import type { FastifyPluginAsync } from 'fastify';

/**
 * Marks a plugin as not encapsulated, so what it decorates is visible to its parent (the
 * whole app) — what the `fastify-plugin` package does, without adding a dependency for one
 * symbol. Infrastructure (pool, clients) is shared; features stay encapsulated.
 */
export function sharedPlugin<Options extends object>(
  name: string,
  plugin: FastifyPluginAsync<Options>,
): FastifyPluginAsync<Options> {
  Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: name,
  });
  return plugin;
}

/** "cannot reach X at host:port (CODE) — …": errors name the thing to change. */
export function unreachable(service: string, address: string, err: unknown): Error {
  const e = err as { code?: string; message?: string };
  const why = e.code ?? e.message ?? String(err);
  return new Error(`cannot reach ${service} at ${address} (${why}) — is the lab up? run \`perf-lab up\``, {
    cause: err,
  });
}
