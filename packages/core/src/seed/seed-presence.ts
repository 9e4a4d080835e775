import type mysql from 'mysql2/promise';
import type { PerfLabConfig } from '../config/config.ts';
import { ConfigError } from '../errors.ts';
import { openMysql } from '../db/mysql-pool.ts';
import { readManifest } from './seed-manifest.ts';
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
  // A declared schema is the user's own, seeded their way: its tables were checked against the
  // declaration (check-declarations.ts); the reference tables below need not exist.
  if (!config.schema.reference) return;
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
