/**
 * k6 threshold expressions: `<aggregation> <operator> <number>`, e.g. `p(95)<200`, `rate<0.01`,
 * `count>0`. Which aggregations are allowed depends on the metric type, as in k6.
 */
import type { MetricType } from '../metrics/metric-types.ts';
import { parseDurationMs } from '../config/duration.ts';
import type { ThresholdInput } from '../config/k6-options.ts';
import { parsePercentileMethod } from '../metrics/trend-sink.ts';

export const OPERATORS = ['<=', '>=', '===', '==', '!=', '<', '>'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface ThresholdExpression {
  readonly source: string;
  readonly method: string;
  readonly operator: Operator;
  readonly value: number;
}

export interface ThresholdDefinition extends ThresholdExpression {
  readonly abortOnFail: boolean;
  readonly delayAbortEvalMs: number;
}


const EXPR = /^\s*([a-z]+(?:\(\s*\d+(?:\.\d+)?\s*\))?)\s*(<=|>=|===|==|!=|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*$/i;

export function parseThresholdExpression(source: string): ThresholdExpression {
  const m = EXPR.exec(source);
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) {
    throw new Error(`invalid threshold "${source}": expected "<aggregation> <operator> <number>", e.g. "p(95)<200"`);
  }
  const method = m[1].replace(/\s+/g, '');
  if (method.startsWith('p(') && parsePercentileMethod(method) === undefined) {
    throw new Error(`invalid threshold "${source}": percentile must be between 0 and 100`);
  }
  return { source, method, operator: m[2] as Operator, value: Number(m[3]) };
}

export function parseThresholdInput(input: ThresholdInput): ThresholdDefinition {
  if (typeof input === 'string') return { ...parseThresholdExpression(input), abortOnFail: false, delayAbortEvalMs: 0 };
  if (!input || typeof input.threshold !== 'string') {
    throw new Error(`invalid threshold ${JSON.stringify(input)}: expected a string or {threshold, abortOnFail, delayAbortEval}`);
  }
  return {
    ...parseThresholdExpression(input.threshold),
    abortOnFail: input.abortOnFail === true,
    delayAbortEvalMs: input.delayAbortEval === undefined ? 0 : parseDurationMs(input.delayAbortEval, 'delayAbortEval'),
  };
}

const METHODS: Readonly<Record<MetricType, (m: string) => boolean>> = {
  counter: (m) => m === 'count' || m === 'rate',
  gauge: (m) => m === 'value',
  rate: (m) => m === 'rate',
  trend: (m) => ['avg', 'min', 'max', 'med'].includes(m) || parsePercentileMethod(m) !== undefined,
};

export function assertMethodFits(expr: ThresholdExpression, metricName: string, type: MetricType): void {
  if (!METHODS[type](expr.method)) {
    throw new Error(`invalid threshold "${expr.source}" on ${metricName}: "${expr.method}" does not apply to a ${type} metric`);
  }
}

export function compareThreshold(actual: number, op: Operator, expected: number): boolean {
  switch (op) {
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '==':
    case '===':
      return actual === expected;
    case '!=':
      return actual !== expected;
  }
}
