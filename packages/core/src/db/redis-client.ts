import { Redis } from 'ioredis';
import { ServiceError, errorMessage } from '../errors.ts';

export interface OpenRedisOptions {
  /** Bound on connecting and on every command; without it a Redis that never answers hangs the caller. */
  readonly timeoutMs?: number;
}

/** A Redis client for perf-lab's own work; fails with the address when Redis is down. */
export async function openRedis(url: string, options: OpenRedisOptions = {}): Promise<Redis> {
  const bound = options.timeoutMs;
  const client = new Redis(url, {
    lazyConnect: true, maxRetriesPerRequest: 2, enableAutoPipelining: true,
    ...(bound ? { connectTimeout: bound, commandTimeout: bound } : {}),
  });
  let socketError: unknown;
  client.on('error', (err: unknown) => (socketError = err));
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = client.connect().then(() => client.ping());
    await (bound
      ? Promise.race([ready, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${bound} ms`)), bound)))])
      : ready);
  } catch (err) {
    client.disconnect();
    const address = new URL(url).host;
    throw new ServiceError('redis', address,
      `cannot reach Redis at ${address} (${errorMessage(socketError ?? err)}) — is the lab up? run \`perf-lab up\``, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  return client;
}
