import mysql from 'mysql2/promise';
import type { Pool } from 'mysql2/promise';

/**
 * The server's pool, and the benchmark's raw-transaction pool that must behave the same: one
 * place for the options the order path depends on.
 */
export function createMysqlPool(url: string, connectionLimit: number): Pool {
  return mysql.createPool({
    uri: url,
    connectionLimit,
    // Requests queue for a connection rather than fail: the pool size is the variable under test.
    waitForConnections: true,
    queueLimit: 0,
    // BIGINTs past 2^53 arrive as strings instead of silently rounded numbers (exact-integer.ts).
    supportBigNumbers: true,
    // An order sends its statements in batches (statement.ts). Every value is a placeholder.
    multipleStatements: true,
    // No stack trace captured per statement (mysql2's promise API does one per query unless told
    // not to): 4 % of the server's samples on the order path. A failed statement's error still
    // carries its code, errno and SQL message; only the awaiting frames go from its stack.
    trace: false,
  });
}
