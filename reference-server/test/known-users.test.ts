import mysql from 'mysql2/promise';
import type { Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/transaction.ts';
import { KnownUsers } from '../src/coupon/known-users.ts';
import { createTestWorld } from './helper.ts';
import type { TestWorld } from './helper.ts';

let world: TestWorld;
let pool: Pool;

beforeAll(async () => {
  world = await createTestWorld();
  pool = mysql.createPool({ uri: world.mysqlUrl, connectionLimit: 4 });
  await pool.query('INSERT INTO users (id, balance) VALUES (1, 0), (2, 0), (3, 0), (5, 0), (8, 0)');
});
afterAll(async () => {
  await pool?.end();
  await world?.cleanup();
});

/** The real pool, counting the statements that reach MySQL. */
function counted(): { db: Queryable; statements: () => number } {
  let statements = 0;
  const db: Queryable = { query: ((...args: Parameters<Pool['query']>) => ((statements += 1), pool.query(...args))) as Pool['query'] };
  return { db, statements: () => statements };
}

describe('KnownUsers', () => {
  it('answers concurrent questions right with far fewer statements than questions', async () => {
    const { db, statements } = counted();
    const users = new KnownUsers(db);
    const ids = Array.from({ length: 200 }, (_, i) => 1 + (i % 10));
    const answers = await Promise.all(ids.map((id) => users.exists(id)));
    expect(answers).toEqual(ids.map((id) => [1, 2, 3, 5, 8].includes(id)));
    // One range read for the block of ids, then one statement for the five it did not have
    // (they may have been created since): all asked in the same tick share each.
    expect(statements()).toBe(2);
  });

  it('reads users a block of ids at a time: a load where every user asks once costs a statement per block', async () => {
    await pool.query('INSERT INTO users (id, balance) SELECT seq, 0 FROM seq_100_to_9999');
    try {
      const { db, statements } = counted();
      const users = new KnownUsers(db);
      for (let id = 100; id < 10_000; id += 1) expect(await users.exists(id)).toBe(true);
      // Ids 100..9999 span three blocks of 4,096.
      expect(statements()).toBe(3);
    } finally {
      await pool.query('DELETE FROM users WHERE id BETWEEN 100 AND 9999');
    }
  });

  it('remembers users it found and asks again about ones it did not', async () => {
    const { db, statements } = counted();
    const users = new KnownUsers(db);
    expect(await users.exists(2)).toBe(true);
    expect(await users.exists(4)).toBe(false);
    expect(statements()).toBe(2);
    expect(await users.exists(2)).toBe(true);
    expect(statements()).toBe(2);
    await pool.query('INSERT INTO users (id, balance) VALUES (4, 0)');
    expect(await users.exists(4)).toBe(true);
    expect(statements()).toBe(3);
  });

  it('fails every question of a batch whose lookup failed, and the next batch still runs', async () => {
    let fail = true;
    const db: Queryable = {
      query: ((...args: Parameters<Pool['query']>) => (fail ? pool.query('SELECT * FROM no_such_table') : pool.query(...args))) as Pool['query'],
    };
    const users = new KnownUsers(db);
    const failed = await Promise.allSettled([users.exists(1), users.exists(3)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await users.exists(3)).toBe(true);
  });
});
