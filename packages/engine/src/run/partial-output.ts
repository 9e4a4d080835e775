/**
 * `--out partial=DIR`: at the end of a segment's run, writes what `mergePartials` needs to
 * rebuild the whole test's metrics exactly (partial-result.ts), and every console line the
 * script printed (perf-lab's operations log is made of them).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatSegment, formatSequence, parseExecutionSegmentSequence } from '../config/execution-segment.ts';
import type { ProgressListener } from '../output/progress-events.ts';
import type { RunOutcome } from './finish-run.ts';
import type { PreparedRun } from './prepare-run.ts';
import { snapshotRegistry } from '../metrics/metric-snapshot.ts';
import { PARTIAL_FILES, PARTIAL_FORMAT, type PartialIdentity, type PartialResult } from './partial-result.ts';

/** The folder of `--out partial=DIR`, when one is asked for (at most one per run). */
export function partialOutputDir(list: readonly string[]): string | undefined {
  const dirs = list.filter((item) => item === 'partial' || item.startsWith('partial=')).map((item) => item.slice('partial='.length));
  if (dirs.some((d) => !d)) throw new Error('the partial output needs a folder: --out partial=parts/0');
  if (dirs.length > 1) throw new Error(`one partial output per run, got ${dirs.length}: --out partial=${dirs.join(', --out partial=')}`);
  return dirs[0];
}

export class PartialOutput {
  private readonly consoleLines: string[] = [];
  private readonly startedAt = new Date().toISOString();

  constructor(readonly dir: string) {}

  /** The run's listener, also keeping the script's console lines for the part. */
  wrap(listener: ProgressListener): ProgressListener {
    return (e) => {
      if (e.type === 'log' && e.source === 'console') this.consoleLines.push(e.message);
      listener(e);
    };
  }

  async write(p: PreparedRun, script: string, outcome: RunOutcome): Promise<string> {
    const dir = resolve(this.dir);
    await mkdir(dir, { recursive: true });
    const result: PartialResult = {
      format: PARTIAL_FORMAT,
      identity: await identityOf(p, script),
      definitions: p.registry.all().map((m) => ({ name: m.name, type: m.type, contains: m.contains })),
      metrics: snapshotRegistry(p.registry),
      rootGroup: p.groups.toSummary(),
      thresholds: p.options.thresholds ?? {},
      trendStats: p.trendStats,
      summaryTimeUnit: p.options.summaryTimeUnit ?? '',
      executionMs: outcome.executionMs,
      executed: outcome.executed,
      ...(p.run.abortCause ? { abort: p.run.abortCause } : {}),
      ...(p.run.failedMessage ? { failedMessage: p.run.failedMessage } : {}),
      timeSeries: outcome.timeSeries,
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
    };
    const file = join(dir, PARTIAL_FILES.result);
    await writeFile(join(dir, PARTIAL_FILES.console), this.consoleLines.map((l) => `${l}\n`).join(''));
    await writeFile(file, `${JSON.stringify(result)}\n`);
    return file;
  }
}

async function identityOf(p: PreparedRun, script: string): Promise<PartialIdentity> {
  const { executionSegment: _segment, executionSegmentSequence: sequence, ...rest } = p.options;
  const points = parseExecutionSegmentSequence(sequence);
  return {
    scriptHash: sha256(await readFile(resolve(script))),
    optionsHash: sha256(stableJson(rest)),
    sequence: points ? formatSequence(points) : '',
    segment: formatSegment(p.stripes.segment),
  };
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** JSON with object keys sorted, so equal options hash equally whatever their order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
