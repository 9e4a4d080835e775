import { Readable } from 'node:stream';
import type mysql from 'mysql2/promise';

/**
 * Bulk insert through `LOAD DATA LOCAL INFILE` fed from a generator: mysql2 streams the rows
 * to the server, so 450,000 rows cost one statement and no temporary file.
 */
export async function loadRows(
  conn: mysql.PoolConnection,
  table: string,
  columns: readonly string[],
  count: number,
  row: (i: number) => readonly (number | string)[],
  ignoreDuplicates: boolean,
): Promise<number> {
  if (count === 0) return 0;
  // mysql2 writes the chunks straight to the socket: they must be Buffers, not strings.
  function* chunks(): Generator<Buffer> {
    let buffer = '';
    for (let i = 0; i < count; i++) {
      buffer += `${row(i).join('\t')}\n`;
      if (buffer.length > 1 << 16) {
        yield Buffer.from(buffer);
        buffer = '';
      }
    }
    if (buffer) yield Buffer.from(buffer);
  }
  const [result] = await conn.query({
    sql: `LOAD DATA LOCAL INFILE 'perf-lab-${table}' ${ignoreDuplicates ? 'IGNORE' : ''} INTO TABLE \`${table}\`
          FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (${columns.map((c) => `\`${c}\``).join(', ')})`,
    infileStreamFactory: () => Readable.from(chunks()),
  });
  return (result as mysql.ResultSetHeader).affectedRows;
}
