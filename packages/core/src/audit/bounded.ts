import { ServiceError, errorMessage } from '../errors.ts';

/**
 * Every question the audit asks a service has a bound. A service that accepts the connection
 * but never answers (a stopped process, a full accept queue) would otherwise hang the audit
 * forever; past the bound the verdict is unknown, naming the service and its address.
 */
export async function bounded<T>(service: string, address: string, ms: number, what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServiceError(service, address,
      `${serviceName(service)} at ${address} did not answer ${what} within ${(ms / 1000).toFixed(1)} s — is it stopped or overloaded?`)), ms);
  });
  try {
    return await Promise.race([work(), deadline]);
  } catch (err) {
    if (err instanceof ServiceError) throw err;
    throw new ServiceError(service, address, `${serviceName(service)} at ${address} failed ${what}: ${errorMessage(err)}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

const NAMES: Readonly<Record<string, string>> = { mysql: 'MySQL', redis: 'Redis', kafka: 'Kafka' };

export function serviceName(service: string): string {
  return NAMES[service] ?? service;
}
