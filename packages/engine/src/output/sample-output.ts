/**
 * What every `--out` destination is to the run: it subscribes to the samples it needs when
 * attached, is flushed by the run's once-a-second tick, and is closed (flushing what is left)
 * at the end. An output that is not asked for is never attached, so the engine's hot path
 * (Metric.add) pays nothing for it.
 */
import type { SampleObserver } from '../metrics/metric.ts';
import type { MetricRegistry } from '../metrics/registry.ts';

export interface SampleOutput {
  /** As k6 prints it in its banner: "json (points.json)". */
  readonly description: string;
  /** The file it writes, when it writes one (listed in the run's result). */
  readonly file: string | undefined;
  attach(registry: MetricRegistry): void;
  /** Called by the run's tick: write (or push) what has accumulated. */
  flush(now: Date): void;
  /** Text a worker process produced for this output (workers mode); only line outputs take it. */
  writeForwarded?(text: string): void;
  close(): Promise<void>;
}

/** Where an output reports trouble (a refused push): the run's log, never the console. */
export type OutputLog = (level: 'warn' | 'error', message: string) => void;

/** Subscribes to every sample of every metric (all are defined by the end of the init context). */
export function observeEveryMetric(registry: MetricRegistry, observer: SampleObserver): void {
  for (const m of registry.all()) m.observers.push(observer);
}
