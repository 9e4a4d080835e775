import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { loadConfig } from './config.ts';

/**
 * Applies `migrations/NNN_<name>.sql` in order and records each in `schema_migrations`.
 * Running it again applies nothing. Migrations are frozen once landed: an applied file whose
 * checksum changed is an error (add the next number instead). Like kysely's migrator it
 * returns `{ error, results }` rather than throwing, so callers decide how to report.
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface MigrationResult {
  readonly version: number;
  readonly name: string;
  readonly status: 'applied' | 'already-applied';
}

export interface MigrateOutcome {
  readonly error?: Error;
  readonly results: MigrationResult[];
}

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

export async function migrate(mysqlUrl: string, dir: string = MIGRATIONS_DIR): Promise<MigrateOutcome> {
  const results: MigrationResult[] = [];
  let conn: mysql.Connection | undefined;
  try {
    const files = await listMigrations(dir);
    // multipleStatements only on this private connection: a migration file may hold several.
    conn = await mysql.createConnection({ uri: mysqlUrl, multipleStatements: true });
    const database = new URL(mysqlUrl).pathname.slice(1);
    // Two servers starting at once must not both apply 001: serialise per database.
    const [[lock]] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, 30) AS got', [`ref_migrate:${database}`]);
    if (lock?.got !== 1) throw new Error(`another migrator holds the lock on ${database} for over 30 s`);
    await conn.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INT          NOT NULL PRIMARY KEY,
      name       VARCHAR(200) NOT NULL,
      checksum   CHAR(64)     NOT NULL,
      applied_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    ) ENGINE = InnoDB`);
    const [rows] = await conn.query<RowDataPacket[]>('SELECT version, checksum FROM schema_migrations');
    const applied = new Map(rows.map((r) => [Number(r.version), String(r.checksum)]));
    for (const file of files) {
      const sql = await readFile(path.join(dir, file.fileName), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const known = applied.get(file.version);
      if (known !== undefined) {
        if (known !== checksum) {
          throw new Error(`migration ${file.fileName} changed after it was applied; migrations are frozen, add a new one`);
        }
        results.push({ version: file.version, name: file.name, status: 'already-applied' });
        continue;
      }
      try {
        await conn.query(sql);
      } catch (err) {
        throw new Error(`migration ${file.fileName} failed: ${(err as Error).message}`, { cause: err });
      }
      await conn.query('INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)', [
        file.version,
        file.name,
        checksum,
      ]);
      results.push({ version: file.version, name: file.name, status: 'applied' });
    }
    return { results };
  } catch (err) {
    return { error: err as Error, results };
  } finally {
    await conn?.end().catch(() => undefined);
  }
}

async function listMigrations(dir: string): Promise<{ version: number; name: string; fileName: string }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return files.map((fileName) => {
    const match = FILE_NAME.exec(fileName);
    if (!match) throw new Error(`migration file ${fileName} is not named NNN_<snake_name>.sql`);
    return { version: Number(match[1]), name: match[2] ?? '', fileName };
  });
}

async function main(): Promise<void> {
  let mysqlUrl: string;
  try {
    mysqlUrl = loadConfig().mysql.url;
  } catch (err) {
    process.stderr.write(`migrate: ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const { error, results } = await migrate(mysqlUrl);
  for (const r of results) process.stdout.write(`${r.status === 'applied' ? 'applied' : 'ok     '} ${r.version} ${r.name}\n`);
  if (error) {
    process.stderr.write(`migrate: ${error.message}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
