import mysql from 'mysql2/promise';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlPool } from '../../src/db/mysql-pool.ts';
import { headerOf, rowsOf, StatementBatch } from '../../src/db/statement.ts';
import { RetryTransaction, withTransaction } from '../../src/db/transaction.ts';
import { AppError } from '../../src/errors.ts';
import { createTestWorld, scalar } from '../helper.ts';
import type { TestWorld } from '../helper.ts';

let world: TestWorld;
/** One connection, so "the pool handed the broken one out again" cannot hide behind a second. */
let pool: Pool;

beforeAll(async () => {
  world = await createTestWorld();
  pool = createMysqlPool(world.mysqlUrl, 1);
  await pool.query('CREATE TABLE tx_probe (id INT PRIMARY KEY)');
});
afterAll(async () => {
  await pool?.end();
  await world?.cleanup();
});

const threadId = async (db: Pick<Pool, 'query'>): Promise<number> => scalar(db, 'SELECT CONNECTION_ID()');

describe('withTransaction', () => {
  it('commits what the work returned and rolls back what threw', async () => {
    await withTransaction(pool, async (tx) => void (await tx.query('INSERT INTO tx_probe VALUES (1)')));
    const boom = new Error('boom');
    await expect(
      withTransaction(pool, async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (2)');
        throw boom;
      }),
    ).rejects.toBe(boom);
    const value = await withTransaction(pool, async (tx, rollback) => {
      await tx.query('INSERT INTO tx_probe VALUES (3)');
      return rollback('rolled back');
    });
    expect(value).toBe('rolled back');
    const [rows] = await pool.query<RowDataPacket[]>('SELECT id FROM tx_probe ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([1]);
  });

  it('a failed ROLLBACK keeps the original error and the dead connection never returns to the pool', async () => {
    let victim = 0;
    const original = new Error('the work failed');
    const killer = await mysql.createConnection(world.mysqlUrl);
    try {
      await expect(
        withTransaction(pool, async (tx) => {
          victim = await threadId(tx);
          await tx.query('INSERT INTO tx_probe VALUES (10)');
          // The connection dies under the transaction (server restart, network cut): ROLLBACK will fail.
          await killer.query(`KILL CONNECTION ${victim}`);
          throw original;
        }),
      ).rejects.toBe(original);
    } finally {
      await killer.end();
    }
    // The pool's only slot now holds a fresh, working connection.
    const next = await threadId(pool);
    expect(next).not.toBe(victim);
    expect(await scalar(pool, 'SELECT COUNT(*) FROM tx_probe WHERE id = 10')).toBe(0);
  });

  it('retries contention and answers 409 ORDER_CONTENTION once the retries are spent', async () => {
    let attempts = 0;
    const outcome = withTransaction(
      pool,
      async () => {
        attempts += 1;
        throw new RetryTransaction('collided');
      },
      { retries: 2 },
    );
    await expect(outcome).rejects.toBeInstanceOf(AppError);
    await expect(outcome).rejects.toMatchObject({ code: 'ORDER_CONTENTION', statusCode: 409 });
    expect(attempts).toBe(3);
  });

  it('BEGIN goes out with the first query, which answers as if it had been sent alone', async () => {
    const seen = await withTransaction(pool, async (tx) => {
      // @@in_transaction is 1 only inside BEGIN … COMMIT: the prefix ran before this SELECT.
      const [first] = await tx.query<RowDataPacket[]>('SELECT @@in_transaction AS t');
      const [second] = await tx.query<RowDataPacket[]>('SELECT @@in_transaction AS t');
      return [first, second];
    });
    expect(seen).toEqual([[{ t: 1 }], [{ t: 1 }]]);
    const batched = await withTransaction(pool, async (tx) => {
      const batch = new StatementBatch();
      const inside = batch.add({ sql: 'SELECT @@in_transaction AS t', values: [], read: (r) => rowsOf(r)[0]?.t });
      const inserted = batch.add({ sql: 'INSERT INTO tx_probe VALUES (?), (?)', values: [20, 21], read: (r) => headerOf(r).affectedRows });
      await batch.run(tx);
      return { inside: inside(), inserted: inserted() };
    }, { isolation: 'READ COMMITTED' });
    expect(batched).toEqual({ inside: 1, inserted: 2 });
    expect(await scalar(pool, 'SELECT COUNT(*) FROM tx_probe WHERE id IN (20, 21)')).toBe(2);
    expect(await scalar(pool, 'SELECT @@in_transaction')).toBe(0);
  });

  it('on a pool without multiple statements, BEGIN goes on its own and the transaction holds all the same', async () => {
    const plain = mysql.createPool({ uri: world.mysqlUrl, connectionLimit: 1 });
    try {
      const inside = await withTransaction(plain, async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (40)');
        return scalar(tx, 'SELECT @@in_transaction');
      });
      expect(inside).toBe(1);
      await expect(withTransaction(plain, async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (41)');
        throw new Error('undo');
      })).rejects.toThrow('undo');
      expect(await scalar(pool, 'SELECT COUNT(*) FROM tx_probe WHERE id IN (40, 41)')).toBe(1);
    } finally {
      await plain.end();
    }
  });

  it('a transaction that sent nothing has nothing to commit or roll back, and leaves the connection clean', async () => {
    expect(await withTransaction(pool, async () => 'nothing sent')).toBe('nothing sent');
    const refusal = new Error('refused before any statement');
    await expect(withTransaction(pool, async () => { throw refusal; })).rejects.toBe(refusal);
    // The pool's one connection is not left inside a transaction by either.
    expect(await scalar(pool, 'SELECT @@in_transaction')).toBe(0);
    await pool.query('INSERT INTO tx_probe VALUES (30)');
    expect(await scalar(pool, 'SELECT COUNT(*) FROM tx_probe WHERE id = 30')).toBe(1);
  });
});
