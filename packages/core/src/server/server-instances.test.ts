import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { portInUse } from '../lab/port-check.ts';
import { instanceFileName, instancePorts, instanceUrl } from './server-instances.ts';

async function busyPortAboveAFreeOne(): Promise<{ busy: net.Server; taken: number }> {
  for (;;) {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const taken = (busy.address() as net.AddressInfo).port;
    if (taken > 1024 && !(await portInUse('127.0.0.1', taken - 1))) return { busy, taken };
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  }
}

describe('instance layout', () => {
  it('names instance 1 as the single server and the others with their number', () => {
    expect(instanceFileName('/s/reference-server.log', 1)).toBe('/s/reference-server.log');
    expect(instanceFileName('/s/reference-server.log', 3)).toBe('/s/reference-server-3.log');
    expect(instanceFileName('server.pid', 2)).toBe('server-2.pid');
    expect(instanceUrl('http://127.0.0.1:18080', 18082)).toBe('http://127.0.0.1:18082');
  });

  it('takes the ports after the target when free, another free one when taken, and refuses a taken target port', async () => {
    // A port held busy whose port below is free: found by trying system-chosen ones.
    const { busy, taken } = await busyPortAboveAFreeOne();
    try {
      await expect(instancePorts('127.0.0.1', taken, 2)).rejects.toThrow(/already in use/);
      const ports = await instancePorts('127.0.0.1', taken - 1, 3);
      expect(ports[0]).toBe(taken - 1);
      expect(ports).not.toContain(taken);
      expect(new Set(ports).size).toBe(3);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });
});
