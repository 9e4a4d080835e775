import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlPool } from '../../src/db/mysql-pool.ts';
import { changedOneRow, headerOf, rowsOf, runStatement, StatementBatch } from '../../src/db/statement.ts';
import { withTransaction } from '../../src/db/transaction.ts';
import { createTestWorld, scalar } from '../helper.ts';
import type { TestWorld } from '../helper.ts';

let world: TestWorld;
let pool: Pool;

beforeAll(async () => {
  world = await createTestWorld();
  pool = createMysqlPool(world.mysqlUrl, 2);
  await pool.query('CREATE TABLE batch_probe (id INT PRIMARY KEY, n INT NOT NULL)');
});
afterAll(async () => {
  await pool?.end();
  await world?.cleanup();
});

describe('StatementBatch', () => {
  it('sends several statements in one round trip and reads each answer as its own', async () => {
    const batch = new StatementBatch();
    const inserted = batch.add({ sql: 'INSERT INTO batch_probe VALUES (?, ?), (?, ?)', values: [1, 10, 2, 20], read: (r) => headerOf(r).affectedRows });
    const bumped = batch.add({ sql: 'UPDATE batch_probe SET n = n + 1 WHERE id = ?', values: [2], read: changedOneRow });
    const missed = batch.add({ sql: 'UPDATE batch_probe SET n = n + 1 WHERE id = ?', values: [99], read: changedOneRow });
    // An array value stays one value (IN (?)) rather than spilling into the next statement's.
    const rows = batch.add({ sql: 'SELECT id, n FROM batch_probe WHERE id IN (?) ORDER BY id', values: [[1, 2]], read: (r) => rowsOf(r).map((x) => [x.id, x.n]) });
    const threads = batch.add({ sql: 'SELECT CONNECTION_ID() AS c', values: [], read: (r) => rowsOf(r)[0]?.c });
    expect(() => inserted()).toThrow(/not run yet/);
    await batch.run(pool);
    expect([inserted(), bumped(), missed(), rows()]).toEqual([2, true, false, [[1, 10], [2, 21]]]);
    expect(typeof threads()).toBe('number');
    expect(() => batch.add({ sql: 'SELECT 1', values: [], read: () => 1 })).toThrow(/already run/);
  });

  it('one statement answers bare, like a plain query', async () => {
    const count = await runStatement(pool, { sql: 'SELECT COUNT(*) AS n FROM batch_probe', values: [], read: (r) => Number(rowsOf(r)[0]?.n) });
    expect(count).toBe(2);
  });

  it('stops at the first failing statement, and the transaction takes back what ran before it', async () => {
    const attempt = withTransaction(pool, async (tx) => {
      const batch = new StatementBatch();
      batch.add({ sql: 'UPDATE batch_probe SET n = 0 WHERE id = ?', values: [1], read: changedOneRow });
      batch.add({ sql: 'INSERT INTO batch_probe VALUES (?, ?)', values: [2, 0], read: changedOneRow }); // duplicate key
      batch.add({ sql: 'INSERT INTO batch_probe VALUES (?, ?)', values: [3, 0], read: changedOneRow });
      await batch.run(tx);
    });
    await expect(attempt).rejects.toMatchObject({ errno: 1062 });
    const [rows] = await pool.query<RowDataPacket[]>('SELECT id, n FROM batch_probe ORDER BY id');
    expect(rows.map((r) => [r.id, r.n])).toEqual([[1, 10], [2, 21]]);
    expect(await scalar(pool, 'SELECT COUNT(*) FROM batch_probe WHERE id = 3')).toBe(0);
  });

  it('a value that looks like SQL stays a value', async () => {
    // Pasted between quotes unescaped, this would close the string and run a DROP of its own.
    const hostile = "x'; DROP TABLE batch_probe; SELECT 'y";
    const echoed = await runStatement(pool, { sql: 'SELECT ? AS v', values: [hostile], read: (r) => rowsOf(r)[0]?.v });
    expect(echoed).toBe(hostile);
    expect(await scalar(pool, 'SELECT COUNT(*) FROM batch_probe')).toBe(2);
  });
});
