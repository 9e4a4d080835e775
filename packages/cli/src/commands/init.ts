import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError, proposeSchema, readColumns, renderConfig } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

const FILE = 'perf-lab.config.mjs';

/** Reads the MySQL schema perf-lab is pointed at and writes a starting config proposing the mapping. */
export async function initCommand(opts: { json?: boolean; force?: boolean }, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, Boolean(opts.json));
  const file = path.resolve(FILE);
  if (existsSync(file) && !opts.force) throw new ConfigError(`${file} already exists — edit it, or pass --force to write a new proposal over it`);
  const columns = await readColumns(config.mysql);
  if (columns.size === 0) throw new ConfigError(`database ${config.mysql.database} has no tables — point --mysql-url (or PERF_LAB_MYSQL_URL) at your service's database`);
  const proposal = proposeSchema(columns);
  writeFileSync(file, renderConfig(proposal, config));
  const mapped = Object.entries(proposal.schema).map(([concept, v]) => `${concept}: ${v === null ? 'none found' : String(v['table'] ?? v['tables'])}`);
  out.result(`wrote ${file} from ${columns.size} table(s) of ${config.mysql.database}\n  ${mapped.join('\n  ')}\ncheck each proposal, then see docs/your-own-system.md`,
    { file, schema: proposal.schema, unsure: proposal.unsure });
  return ExitCode.ok;
}
