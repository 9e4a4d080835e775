import { describe, expect, it } from 'vitest';
import { registerBuiltinMetrics } from '../metrics/builtin-metrics.ts';
import { MetricRegistry } from '../metrics/registry.ts';
import { parseThresholdExpression, parseThresholdInput } from './parse-threshold.ts';
import { ThresholdSet } from './threshold-set.ts';

describe('parseThresholdExpression', () => {
  it.each([
    ['p(95)<200', 'p(95)', '<', 200],
    ['p(99.9) <= 1.5', 'p(99.9)', '<=', 1.5],
    ['rate<0.01', 'rate', '<', 0.01],
    ['count>0', 'count', '>', 0],
    ['avg==100', 'avg', '==', 100],
    ['med != 3', 'med', '!=', 3],
    ['value>=1e3', 'value', '>=', 1000],
  ])('%s', (src, method, op, value) => {
    expect(parseThresholdExpression(src)).toEqual({ source: src, method, operator: op, value });
  });

  it.each(['p95<200', 'p(101)<5', 'rate < fast', 'avg', '<5'])('rejects %j', (src) => {
    expect(() => parseThresholdExpression(src)).toThrow(/invalid threshold/);
  });

  it('reads the object form', () => {
    expect(parseThresholdInput({ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '10s' })).toMatchObject({ abortOnFail: true, delayAbortEvalMs: 10_000 });
  });
});

describe('ThresholdSet', () => {
  const setup = () => {
    const registry = new MetricRegistry();
    const m = registerBuiltinMetrics(registry);
    return { registry, m };
  };

  it('evaluates metrics and sub-metrics by tag', () => {
    const { registry, m } = setup();
    const set = new ThresholdSet(
      {
        http_req_duration: ['p(50)<100', 'max<100'],
        'http_req_duration{status:500}': ['avg>1000'],
        'http_req_duration{expected_response:true}': ['max<=50'],
        http_reqs: ['count==3'],
      },
      registry,
    );
    m.httpReqDuration.add(10, { status: '200', expected_response: 'true' });
    m.httpReqDuration.add(50, { status: '200', expected_response: 'true' });
    m.httpReqDuration.add(2000, { status: '500', expected_response: 'false' });
    for (let i = 0; i < 3; i++) m.httpReqs.add(1, {});
    const verdict = set.evaluate(1000, 1000, true);
    expect(verdict.ok).toBe(false);
    expect(set.all.map((t) => [t.metric, t.source, t.ok])).toEqual([
      ['http_req_duration', 'p(50)<100', true],
      ['http_req_duration', 'max<100', false],
      ['http_req_duration{status:500}', 'avg>1000', true],
      ['http_req_duration{expected_response:true}', 'max<=50', true],
      ['http_reqs', 'count==3', true],
    ]);
    expect(set.resultsFor('http_req_duration')).toEqual({ 'p(50)<100': { ok: true }, 'max<100': { ok: false } });
  });

  it('reports the abortOnFail threshold that fails, after its delay', () => {
    const { registry, m } = setup();
    const set = new ThresholdSet({ checks: [{ threshold: 'rate>0.9', abortOnFail: true, delayAbortEval: '5s' }], http_reqs: ['count>100'] }, registry);
    m.checks.add(0, {});
    expect(set.evaluate(1000, 1000, false).abortedBy).toBeUndefined();
    expect(set.evaluate(6000, 6000, false).abortedBy?.source).toBe('rate>0.9');
    // Periodic evaluation skips thresholds without abortOnFail.
    expect(set.all[1]?.ok).toBe(true);
  });

  it('rejects unknown metrics and aggregations that do not fit the type', () => {
    const { registry } = setup();
    expect(() => new ThresholdSet({ nope: ['count>1'] }, registry)).toThrow(/no metric named "nope"/);
    expect(() => new ThresholdSet({ http_reqs: ['p(95)<1'] }, registry)).toThrow(/does not apply to a counter/);
    expect(() => new ThresholdSet({ vus: ['value<10', 'max<3'] }, registry)).toThrow(/"max" does not apply to a gauge/);
    expect(() => new ThresholdSet({ http_reqs: 'count>1' as never }, registry)).toThrow(/expected an array/);
  });
});
