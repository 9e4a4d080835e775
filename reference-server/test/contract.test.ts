import { COUPON_STRATEGY_NAMES, holdingsTables, TABLES } from '@perf-lab/contract';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_NAMES, loadConfig } from '../src/config.ts';
import { COUPON_ISSUERS } from '../src/coupon/strategies/index.ts';
import { createTestWorld } from './helper.ts';
import type { TestWorld } from './helper.ts';

/** The server keeps to the facts it shares with perf-lab (@perf-lab/contract). */
let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld();
});
afterAll(() => world?.cleanup());

describe('the server and the contract agree', () => {
  it('every strategy the contract names can be started, and no other', () => {
    expect(Object.keys(COUPON_ISSUERS).sort()).toEqual([...COUPON_STRATEGY_NAMES].sort());
    for (const name of COUPON_STRATEGY_NAMES) expect(loadConfig({ couponStrategy: name }, {}).couponStrategy).toBe(name);
  });

  it("the migrations create every table the contract names, holdings tables included", async () => {
    const [rows] = await world.pool.query<RowDataPacket[]>(
      'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()',
    );
    const created = new Set(rows.map((r) => String(r.t)));
    for (const table of [...Object.values(TABLES), ...holdingsTables()]) expect(created, table).toContain(table);
  });

  it('each env variable the server reads is a contract name, read for its own setting', () => {
    const env = Object.fromEntries(Object.values(ENV_NAMES).map((name) => [name, '']));
    expect(() => loadConfig({}, env)).not.toThrow();
    expect(loadConfig({}, { [ENV_NAMES.lockWaitMs]: '123' }).order.lockWaitMs).toBe(123);
    expect(loadConfig({}, { [ENV_NAMES.txRetries]: '7' }).order.txRetries).toBe(7);
  });
});
