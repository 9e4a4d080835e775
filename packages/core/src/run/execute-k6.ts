import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SCENARIO_ENV } from '@perf-lab/contract';
import { createInterface } from 'node:readline';
import { ConfigError } from '../errors.ts';
import type { Execution, ExecuteSpec } from './execute-embedded.ts';
import { k6CommandLine, timeSeriesFromK6Json } from './k6-binary.ts';
import type { K6Summary } from './run-record.ts';

/**
 * Runs the same bundle on a k6 binary the user installed themselves. perf-lab never installs
 * k6; handleSummary writes the summary, --console-output the operation lines, --out json the
 * samples that become the per-second series.
 */
export async function executeK6(spec: ExecuteSpec, binary: string): Promise<Execution> {
  const jsonOut = path.join(spec.runDir, 'k6-samples.json');
  const [command, ...args] = k6CommandLine({ binary, script: spec.script, env: spec.env, consoleOutput: spec.operationsFile, jsonOut });
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(command!, args, { cwd: spec.runDir, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT'
      ? new ConfigError(`k6 binary "${binary}" not found — install k6 yourself, pass its path with --k6 PATH, or leave out --engine k6 to use the embedded engine`)
      : err));
    child.on('close', (code) => resolve(code ?? 1));
    spec.signal?.addEventListener('abort', () => child.kill('SIGINT'));
  });
  const summaryFile = spec.env[SCENARIO_ENV.summaryJson];
  const summary = summaryFile && existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as K6Summary) : undefined;
  const timeSeries = existsSync(jsonOut) ? timeSeriesFromK6Json(await collect(jsonOut)) : [];
  return { exitCode, summary, timeSeries, error: summary ? undefined : `k6 exited with ${exitCode} and wrote no summary` };
}

async function collect(file: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) lines.push(line);
  return lines;
}
