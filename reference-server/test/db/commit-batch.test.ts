import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitBatch, WriteRefused } from '../../src/db/commit-batch.ts';
import { createMysqlPool } from '../../src/db/mysql-pool.ts';
import { changedOneRow, ignoreResult } from '../../src/db/statement.ts';
import type { Statement } from '../../src/db/statement.ts';
import { withTransaction } from '../../src/db/transaction.ts';
import { createTestWorld, scalar } from '../helper.ts';
import type { TestWorld } from '../helper.ts';

let world: TestWorld;
let pool: Pool;

beforeAll(async () => {
  world = await createTestWorld();
  pool = createMysqlPool(world.mysqlUrl, 2);
  await pool.query('CREATE TABLE stock_probe (id INT PRIMARY KEY, n INT NOT NULL)');
  await pool.query('CREATE TABLE log_probe (id INT PRIMARY KEY)');
  await pool.query('INSERT INTO stock_probe VALUES (1, 5), (2, 1)');
});
afterAll(async () => {
  await pool?.end();
  await world?.cleanup();
});

const take = (id: number, n: number): Statement<boolean> => ({ sql: 'UPDATE stock_probe SET n = n - ? WHERE id = ? AND n >= ?', values: [n, id, n], read: changedOneRow });
const log = (id: number): Statement<void> => ({ sql: 'INSERT INTO log_probe VALUES (?)', values: [id], read: ignoreResult });
const stock = async (): Promise<number[][]> => {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT id, n FROM stock_probe ORDER BY id');
  return rows.map((r) => [r.id, r.n]);
};

describe('CommitBatch', () => {
  it('commits every write in the round trip that sends them, and withTransaction commits nothing more', async () => {
    const result = await withTransaction(pool, async (tx) => {
      const writes = new CommitBatch();
      writes.require(take(1, 2), 'stock:1');
      writes.add(log(100));
      writes.require(take(2, 1), 'stock:2');
      await writes.commit(tx);
      return 'paid';
    });
    expect(result).toBe('paid');
    expect(await stock()).toEqual([[1, 3], [2, 0]]);
    expect(await scalar(pool, 'SELECT COUNT(*) FROM log_probe WHERE id = 100')).toBe(1);
  });

  it('a required write that changes nothing stops the batch before its COMMIT, names itself, and leaves the transaction open to look into', async () => {
    let seenInside: number[][] = [];
    const attempt = withTransaction(pool, async (tx) => {
      const writes = new CommitBatch();
      writes.require(take(1, 1), 'stock:1');
      writes.add(log(200));
      writes.require(take(2, 1), 'stock:2'); // none left: refused
      writes.add(log(201));
      try {
        await writes.commit(tx);
      } catch (err) {
        // Still inside: the first write is visible here, the one after the refusal never ran.
        const [rows] = await tx.query<RowDataPacket[]>('SELECT id, n FROM stock_probe ORDER BY id');
        seenInside = rows.map((r) => [r.id, r.n]);
        expect(await scalar(tx, 'SELECT COUNT(*) FROM log_probe WHERE id IN (200, 201)')).toBe(1);
        expect(await scalar(tx, 'SELECT @@in_transaction')).toBe(1);
        throw err;
      }
    });
    await expect(attempt).rejects.toBeInstanceOf(WriteRefused);
    await expect(attempt).rejects.toMatchObject({ refusal: 'stock:2' });
    expect(seenInside).toEqual([[1, 2], [2, 0]]);
    // Rolled back: nothing of the batch is left.
    expect(await stock()).toEqual([[1, 3], [2, 0]]);
    expect(await scalar(pool, 'SELECT COUNT(*) FROM log_probe WHERE id IN (200, 201)')).toBe(0);
  });

  it('a failing statement is its own error, not a refusal', async () => {
    const attempt = withTransaction(pool, async (tx) => {
      const writes = new CommitBatch();
      writes.add(log(300));
      writes.add(log(300)); // duplicate key
      await writes.commit(tx);
    });
    await expect(attempt).rejects.toMatchObject({ errno: 1062 });
    expect(await scalar(pool, 'SELECT COUNT(*) FROM log_probe WHERE id = 300')).toBe(0);
  });
});
