/**
 * A metric and its sub-metrics. `add` is the hot path of the engine (a dozen calls per HTTP
 * request), so it does no allocation: the aggregate sink, the matching sub-metric sinks, then the
 * observers (time series, --out json) that asked for samples.
 */
import type { MetricType, Tags, ValueType } from './metric-types.ts';
import type { Sink } from './metric-types.ts';
import { createSink } from './sinks.ts';

export type SampleObserver = (metric: Metric, value: number, tags: Tags) => void;

export class Submetric {
  readonly sink: Sink;
  constructor(
    /** Full name as written in thresholds, e.g. `http_req_duration{expected_response:true}`. */
    readonly name: string,
    /** The `{…}` part as k6 prints it under its parent: `{ expected_response:true }`. */
    readonly label: string,
    readonly filter: ReadonlyArray<readonly [string, string]>,
    type: MetricType,
  ) {
    this.sink = createSink(type);
  }

  matches(tags: Tags): boolean {
    for (const [k, v] of this.filter) if (tags[k] !== v) return false;
    return true;
  }
}

export class Metric {
  readonly sink: Sink;
  readonly submetrics: Submetric[] = [];
  readonly observers: SampleObserver[] = [];

  constructor(
    readonly name: string,
    readonly type: MetricType,
    readonly contains: ValueType,
  ) {
    this.sink = createSink(type);
  }

  dispose(): void {
    this.sink.dispose?.();
    for (const sub of this.submetrics) sub.sink.dispose?.();
  }

  add(value: number, tags: Tags): void {
    this.sink.add(value);
    const subs = this.submetrics;
    for (let i = 0; i < subs.length; i++) {
      const sub = subs[i] as Submetric;
      if (sub.matches(tags)) sub.sink.add(value);
    }
    const obs = this.observers;
    for (let i = 0; i < obs.length; i++) (obs[i] as SampleObserver)(this, value, tags);
  }
}

/** Splits `name{tag:value,other:value}` into the metric name and its tag filter. */
export function parseMetricSelector(selector: string): { name: string; filter: Array<[string, string]> } {
  const open = selector.indexOf('{');
  if (open < 0) return { name: selector.trim(), filter: [] };
  if (!selector.trimEnd().endsWith('}')) throw new Error(`invalid sub-metric "${selector}": missing "}"`);
  const name = selector.slice(0, open).trim();
  const body = selector.slice(open + 1, selector.trimEnd().length - 1);
  const filter: Array<[string, string]> = [];
  for (const part of body.split(',')) {
    if (part.trim() === '') continue;
    const colon = part.indexOf(':');
    if (colon < 0) throw new Error(`invalid sub-metric "${selector}": expected tag:value pairs`);
    const key = part.slice(0, colon).trim();
    const value = unquote(part.slice(colon + 1).trim());
    if (key === '') throw new Error(`invalid sub-metric "${selector}": empty tag name`);
    filter.push([key, value]);
  }
  if (filter.length === 0) throw new Error(`invalid sub-metric "${selector}": no tags`);
  return { name, filter };
}

function unquote(v: string): string {
  const q = v[0];
  return (q === '"' || q === "'" || q === '`') && v.endsWith(q) && v.length >= 2 ? v.slice(1, -1) : v;
}
