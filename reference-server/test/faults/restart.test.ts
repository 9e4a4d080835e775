import { couponKeys } from '@perf-lab/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigOverrides } from '../../src/config.ts';
import { createTestWorld, dbState, http, lab, redisState, waitFor } from '../helper.ts';
import type { TestWorld } from '../helper.ts';
import { pidListeningOn, portOf } from './lab-process.ts';
import { healthyAfter, spawnServer, stopServer } from './server-process.ts';
import type { ServerProcess } from './server-process.ts';

/** Issue 14 §A2, §A4: the server process killed and restarted, against the real services. */
let world: TestWorld;
let settings: ConfigOverrides;
const running: ServerProcess[] = [];

beforeAll(async () => {
  world = await createTestWorld({ users: 200 });
  settings = { ...world.overrides, logLevel: 'warn' };
});
afterAll(async () => {
  for (const s of running) await stopServer(s);
  await world?.cleanup();
});

function start(): ServerProcess {
  const s = spawnServer(settings);
  running.push(s);
  return s;
}

const issueTo = async (s: ServerProcess, couponId: number, userId: number) =>
  http(`${await s.url}/api/coupons/${couponId}/issue`, { body: { userId } });

/** Issued in MySQL: the consumer group of whichever process runs is consuming. */
const issuedTo = async (couponId: number, userId: number) => (await dbState(world.pool, couponId)).userIds.includes(userId);

describe('restarts', () => {
  it('A4: after kill -9 the server serves again within 10 s, and its consumer resumes', async () => {
    const couponId = await world.createCoupon(10);
    const first = start();
    await healthyAfter(first, Date.now());
    expect((await issueTo(first, couponId, 1)).status).toBe(202);
    await waitFor(() => issuedTo(couponId, 1), { timeoutMs: 30_000, what: 'the first consumer working' });

    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    const second = start();
    const restartMs = await healthyAfter(second, killedAt);
    console.log(`restart after kill -9: healthy after ${restartMs} ms`);
    expect(restartMs).toBeLessThan(10_000);
    expect((await issueTo(second, couponId, 2)).status).toBe(202);
    // The dead member leaves the group after its session (10 s); then the new one consumes.
    await waitFor(() => issuedTo(couponId, 2), { timeoutMs: 45_000, what: 'the restarted consumer working' });
    console.log(`restart after kill -9: consuming again after ${Date.now() - killedAt} ms`);
    await stopServer(second);
  });

  it('A4: one Ctrl-C (SIGINT to the group, then the CLI forwarding SIGTERM) stops gracefully; the next start is prompt', async () => {
    const s = start();
    await healthyAfter(s, Date.now());
    s.child.kill('SIGINT');
    s.child.kill('SIGTERM');
    const { code } = await s.exited;
    expect(s.output()).not.toMatch(/without draining/);
    expect(code).toBe(0);
    const since = Date.now();
    const next = start();
    expect(await healthyAfter(next, since)).toBeLessThan(10_000);
    await stopServer(next);
  });

  it('A2: a reservation whose request died with the process is completed by the server itself after a restart', async () => {
    const couponId = await world.createCoupon(10);
    const s = start();
    await healthyAfter(s, Date.now());
    const kafkaPid = pidListeningOn(portOf(lab.kafka.brokers[0] ?? ''));
    const keys = couponKeys(world.prefix, couponId);
    process.kill(kafkaPid, 'SIGSTOP');
    try {
      // 76's send is in flight to the paused broker; 77's waits behind it, in memory only.
      void issueTo(s, couponId, 76).catch(() => undefined);
      await waitFor(async () => (await world.redis.sismember(keys.issued, '76')) === 1);
      void issueTo(s, couponId, 77).catch(() => undefined);
      await waitFor(async () => (await world.redis.sismember(keys.issued, '77')) === 1);
      s.child.kill('SIGKILL');
      await s.exited;
    } finally {
      process.kill(kafkaPid, 'SIGCONT');
    }
    const crashedAt = Date.now();
    const next = start();
    await healthyAfter(next, crashedAt);
    // Stranded or not, each reservation ends issued (stock was there) or released — never a
    // member of the set with no row behind it, which refuses the user forever.
    await waitFor(async () => (await issuedTo(couponId, 76)) && (await issuedTo(couponId, 77)), {
      timeoutMs: 45_000,
      what: 'both reservations completed',
    });
    await waitFor(async () => (await world.redis.hlen(keys.pending)) === 0, { what: 'nothing pending' });
    console.log(`stranded reservation completed ${Date.now() - crashedAt} ms after the crash`);
    const db = await dbState(world.pool, couponId);
    expect(await redisState(world.redis, world.prefix, couponId)).toEqual({ stock: 10 - db.issued, members: db.userIds, soldOut: false });
    await stopServer(next);
  });
});
