import { Redis } from 'ioredis';
import { ServiceError, errorMessage } from '../errors.ts';

/** A Redis client for perf-lab's own work; fails with the address when Redis is down. */
export async function openRedis(url: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableAutoPipelining: true });
  let socketError: unknown;
  client.on('error', (err: unknown) => (socketError = err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    const address = new URL(url).host;
    throw new ServiceError('redis', address,
      `cannot reach Redis at ${address} (${errorMessage(socketError ?? err)}) — is the lab up? run \`perf-lab up\``, { cause: err });
  }
  return client;
}
