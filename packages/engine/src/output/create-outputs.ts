/**
 * k6-style `--out` values and the outputs they make:
 *   json=FILE                     every sample, k6's JSON lines (json-points-output.ts)
 *   json-aggregate=FILE           the engine's per-second aggregate of the same lines
 *   csv=FILE                      every sample, k6's CSV (csv-output.ts)
 *   experimental-prometheus-rw    Prometheus remote write, configured by K6_PROMETHEUS_RW_*
 *   partial=DIR                   not a sample output: the run writes it at its end (run/partial-output.ts)
 * Settings come from `env` (k6 reads its process environment); a bad one is a usage error
 * before the test starts.
 */
import type { ThresholdSet } from '../thresholds/threshold-set.ts';
import { CsvOutput, CSV_TIME_FORMATS, type CsvTimeFormat } from './csv-output.ts';
import { JsonAggregateOutput } from './json-aggregate-output.ts';
import { JsonPointsOutput } from './json-points-output.ts';
import { LineSink } from './line-sink.ts';
import { remoteWriteConfig, type RemoteWriteConfig } from './prometheus-rw/remote-write-config.ts';
import { RemoteWriteOutput } from './prometheus-rw/remote-write-output.ts';
import type { OutputLog, SampleOutput } from './sample-output.ts';

export type OutputSpec =
  | { kind: 'json' | 'json-aggregate'; file: string }
  | { kind: 'csv'; file: string; timeFormat: CsvTimeFormat }
  | { kind: 'experimental-prometheus-rw'; config: RemoteWriteConfig };

const FILE_KINDS = ['json', 'json-aggregate', 'csv'] as const;
const KINDS = [...FILE_KINDS, 'experimental-prometheus-rw', 'partial'];

/** The sample outputs of `--out` (a `partial=DIR` is skipped here: partialOutputDir reads it). */
export function parseOutputs(list: readonly string[], env: Readonly<Record<string, string>>): OutputSpec[] {
  return list.flatMap((item): OutputSpec[] => {
    const eq = item.indexOf('=');
    const kind = eq < 0 ? item : item.slice(0, eq);
    const arg = eq < 0 ? '' : item.slice(eq + 1);
    if (kind === 'partial') return [];
    if (kind === 'experimental-prometheus-rw') return [{ kind, config: remoteWriteConfig(env) }];
    if (kind !== 'json' && kind !== 'json-aggregate' && kind !== 'csv') {
      throw new Error(`unsupported output "${kind}": the engine writes ${KINDS.join(', ')} (e.g. --out json=results.json)`);
    }
    if (!arg) throw new Error(`the ${kind} output needs a file: --out ${kind}=results.${kind === 'csv' ? 'csv' : 'json'}`);
    if (arg === '-' || arg.endsWith('.gz')) throw new Error(`--out ${kind}=${arg}: the engine writes plain files only (no stdout, no gzip) — name a file, e.g. results.${kind === 'csv' ? 'csv' : 'json'}`);
    if (kind !== 'csv') return [{ kind, file: arg }];
    const timeFormat = env.K6_CSV_TIME_FORMAT ?? 'unix';
    if (!(CSV_TIME_FORMATS as readonly string[]).includes(timeFormat)) throw new Error(`K6_CSV_TIME_FORMAT must be one of ${CSV_TIME_FORMATS.join(', ')}, got "${timeFormat}"`);
    return [{ kind, file: arg, timeFormat: timeFormat as CsvTimeFormat }];
  });
}

/** Outputs that a worker process can feed: those that write lines the parent appends to its file. */
export function isLineOutput(spec: OutputSpec): spec is Exclude<OutputSpec, { kind: 'experimental-prometheus-rw' }> {
  return spec.kind !== 'experimental-prometheus-rw';
}

export interface OutputContext {
  thresholds: ThresholdSet | undefined;
  log: OutputLog;
  /** In a worker process: where the output with this index sends its text (the parent writes the file). */
  forward?: (index: number, text: string) => void;
}

export function createOutputs(specs: readonly OutputSpec[], ctx: OutputContext): SampleOutput[] {
  return specs.map((spec, i) => {
    if (spec.kind === 'experimental-prometheus-rw') return new RemoteWriteOutput(spec.config, ctx.log);
    const forward = ctx.forward;
    const sink = forward ? new LineSink(undefined, (text) => forward(i, text)) : new LineSink(spec.file);
    const file = forward ? undefined : spec.file;
    switch (spec.kind) {
      case 'json':
        return new JsonPointsOutput(sink, file, ctx.thresholds);
      case 'json-aggregate':
        return new JsonAggregateOutput(sink, file, ctx.thresholds);
      case 'csv':
        return new CsvOutput(sink, file, spec.timeFormat);
    }
  });
}
