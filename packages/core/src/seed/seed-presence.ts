import type mysql from 'mysql2/promise';
import type { PerfLabConfig } from '../config/config.ts';
import { ConfigError } from '../errors.ts';
import { openMysql } from '../db/mysql-pool.ts';
import { readManifest, type SeedManifest } from './seed-manifest.ts';
import { formatId } from '@perf-lab/contract';
import { sqlId } from '../audit/check-declarations.ts';
import { missingSchema } from './seed-mysql.ts';

/**
 * The seed a manifest describes must still be in the database before anything is judged
 * against it: an audit of a wiped or re-created database against an old manifest compares
 * nothing and says ok. Users are never deleted by a run, so all of the manifest's users must
 * be there.
 */
export async function checkSeedPresent(config: PerfLabConfig, manifestFile: string): Promise<void> {
  const manifest = readManifest(manifestFile);
  const database = config.mysql.database;
  if (manifest.database !== database) {
    throw new ConfigError(`the seed manifest ${manifestFile} describes database ${manifest.database}, but the lab's database is ${database} — run \`perf-lab seed\``);
  }
  // A declared schema is the user's own: its tables were checked against the declaration
  // (check-declarations.ts); its users are looked for through the map, in its id format.
  if (!config.schema.reference) return checkDeclaredUsers(config, manifestFile, manifest);
  const pool = await openMysql(config.mysql, 1);
  try {
    const missing = await missingSchema(pool);
    if (missing.length > 0) {
      throw new ConfigError(`database ${database} lacks table(s) ${missing.join(', ')} although the seed manifest ${manifestFile} (seeded ${manifest.seededAt}) ` +
        'describes data in them — it was wiped or re-created since: start the reference server once (`perf-lab serve`), then run `perf-lab seed`');
    }
    const { firstUser, lastUser } = manifest.balanceRule;
    const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM users WHERE id BETWEEN ? AND ?', [firstUser, lastUser]);
    const found = Number(rows[0]?.['n'] ?? 0);
    const expected = lastUser - firstUser + 1;
    if (found < expected) {
      throw new ConfigError(`database ${database} holds ${found.toLocaleString('en-US')} of the ${expected.toLocaleString('en-US')} users the seed manifest ` +
        `${manifestFile} (seeded ${manifest.seededAt}) describes — the data was wiped or replaced since: run \`perf-lab seed\``);
    }
  } finally {
    await pool.end();
  }
}

/**
 * Every user the manifest describes, written in the API's id format, is in the declared users
 * table: a wrong id format (`user-{n}` for `test-user-{n}`) or a seed that was replaced is
 * caught here, not as an audit that compares nothing.
 */
async function checkDeclaredUsers(config: PerfLabConfig, manifestFile: string, manifest: SeedManifest): Promise<void> {
  const users = config.schema.users;
  if (!users) return;
  const { firstUser, lastUser } = manifest.balanceRule;
  const format = config.api.ids.user;
  const pool = await openMysql(config.mysql, 1);
  try {
    let found = 0;
    for (let start = firstUser; start <= lastUser; start += 5000) {
      const ids = Array.from({ length: Math.min(5000, lastUser - start + 1) }, (_, i) => formatId(format, start + i));
      const [rows] = await pool.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${sqlId(users.table)} WHERE ${sqlId(users.id)} IN (?)`, [ids]);
      found += Number(rows[0]?.['n'] ?? 0);
    }
    const expected = lastUser - firstUser + 1;
    if (found < expected) {
      throw new ConfigError(`${users.table}.${users.id} holds ${found.toLocaleString('en-US')} of the ${expected.toLocaleString('en-US')} users the seed manifest ` +
        `${manifestFile} describes, written as api.ids.user "${format}" says (${formatId(format, firstUser)} … ${formatId(format, lastUser)}) — ` +
        'fix the id format, or seed again (`perf-lab seed`, or your own seed and its manifest)');
    }
  } finally {
    await pool.end();
  }
}
