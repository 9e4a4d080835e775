import type mysql from 'mysql2/promise';

/**
 * What the app user may do: manage tables and rows in its own database and in per-test or
 * per-bench scratch databases named after it — nothing server-wide (no FILE, PROCESS, SUPER,
 * GRANT OPTION, no access to `mysql.*`). LOAD DATA LOCAL streams from the client, so the seed
 * needs no FILE privilege.
 */
const APP_PRIVILEGES = [
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'ALTER', 'INDEX', 'REFERENCES',
  'CREATE TEMPORARY TABLES', 'LOCK TABLES', 'CREATE VIEW', 'SHOW VIEW', 'TRIGGER',
].join(', ');

/**
 * The databases the app user owns, as GRANT patterns (`_` and `%` are wildcards, so a literal
 * `_` is escaped): the lab's database and every `<database>_…` scratch database core's tests
 * and benches create; `ref_…` are the reference server's own test and bench databases.
 */
export function appDatabasePatterns(database: string): string[] {
  const literal = database.replace(/[_%\\]/g, (c) => `\\${c}`);
  return [literal, `${literal}\\_%`, 'ref\\_%'];
}

/**
 * Brings the accounts to the least-privilege state, idempotently, on every start — which is
 * also how a datadir made by an older perf-lab (root over TCP, app user with ALL … WITH GRANT
 * OPTION) is migrated. Root keeps only root@localhost, which with skip-name-resolve is reachable
 * through the owner-only socket alone.
 */
export async function applyLeastPrivilege(
  conn: mysql.Connection,
  app: { readonly user: string; readonly password: string; readonly database: string },
): Promise<void> {
  const [extra] = await conn.query<mysql.RowDataPacket[]>(
    "SELECT User AS u, Host AS h FROM mysql.user WHERE (User = 'root' AND Host <> 'localhost') OR User = '' OR (User = ? AND Host <> '127.0.0.1')",
    [app.user]);
  for (const row of extra) await conn.query('DROP USER ?@?', [row['u'], row['h']]);
  const user = `${conn.escape(app.user)}@'127.0.0.1'`;
  await conn.query(`CREATE USER IF NOT EXISTS ${user} IDENTIFIED BY ${conn.escape(app.password)}`);
  await conn.query(`ALTER USER ${user} IDENTIFIED BY ${conn.escape(app.password)}`);
  await conn.query(`REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${user}`);
  for (const pattern of appDatabasePatterns(app.database)) {
    await conn.query(`GRANT ${APP_PRIVILEGES} ON \`${pattern.replaceAll('`', '``')}\`.* TO ${user}`);
  }
  await conn.query(`CREATE DATABASE IF NOT EXISTS \`${app.database}\``);
}
