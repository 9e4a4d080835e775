import net from 'node:net';
import path from 'node:path';
import { ServiceError } from '../errors.ts';
import { portInUse } from '../lab/port-check.ts';

/**
 * Where the instances of one `serve --instances N` listen: the first on the target's own port
 * (which must be free: a server already there would be measured in place of ours), the next
 * ones on the ports after it when free, else on ports the system hands out. All on the
 * target's host, which perf-lab only ever binds on 127.0.0.1 or the address it was given.
 */
export async function instancePorts(host: string, firstPort: number, count: number): Promise<number[]> {
  if (await portInUse(host, firstPort)) {
    throw new ServiceError('reference-server', `${host}:${firstPort}`,
      `cannot start the reference server: ${host}:${firstPort} is already in use by another process — stop it ` +
        '(`perf-lab down` stops one perf-lab started), or point PERF_LAB_TARGET_URL (--target) at a free port');
  }
  const ports = [firstPort];
  for (let i = 1; i < count; i++) {
    const next = firstPort + i;
    ports.push(next <= 65535 && !ports.includes(next) && !(await portInUse(host, next)) ? next : await systemPort(host, ports));
  }
  return ports;
}

/** A port the kernel picks (listen on 0), distinct from those already chosen. */
async function systemPort(host: string, taken: readonly number[]): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen({ host, port: 0, exclusive: true }, () => {
        const { port: chosen } = server.address() as net.AddressInfo;
        server.close(() => resolve(chosen));
      });
    });
    if (!taken.includes(port)) return port;
  }
}

/** The target URL with another port: http://127.0.0.1:18080 → http://127.0.0.1:18081. */
export function instanceUrl(targetUrl: string, port: number): string {
  const url = new URL(targetUrl);
  url.port = String(port);
  return url.origin;
}

/**
 * Instance 1 keeps the single server's pid file and log, so everything that knew one server
 * still finds it; instance i > 1 gets `server-i.pid` and `<log>-i.log` beside them.
 */
export function instanceFileName(file: string, index: number): string {
  if (index === 1) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${index}${ext}`;
}
