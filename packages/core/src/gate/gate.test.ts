import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRunFolder, type RunFolderSpec } from '../../test/run-folder.ts';
import { ConfigError } from '../errors.ts';
import type { Baseline } from './baseline.ts';
import { gate } from './gate.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'perf-lab-gate-unit-'));
let n = 0;
const runFolder = (spec: RunFolderSpec): string => writeRunFolder(path.join(dir, `run-${++n}`), spec);
/** A baseline of 1000 req/s and p95 50 ms for coupon / load. */
const baseline = (): string => {
  const file = path.join(dir, `baseline-${++n}.json`);
  gate(runFolder({ rps: 1000, p95: 50, audit: 'ok' }), { baselineFile: file, updateBaseline: true });
  return file;
};
const check = (result: ReturnType<typeof gate>, name: string) => result.checks.find((c) => c.name === name);

describe('gate', () => {
  it('writes a baseline from a passing run with its scenario, profile, rate and p95', () => {
    const file = path.join(dir, 'new', 'baseline.json');
    const result = gate(runFolder({ rps: 250, p95: 12, audit: 'ok' }), { baselineFile: file, updateBaseline: true });
    expect(result.verdict).toBe('pass');
    expect(result.baselineWritten).toBe(file);
    const written = JSON.parse(readFileSync(file, 'utf8')) as Baseline;
    expect(written).toMatchObject({ version: 2, scenario: 'coupon', profile: 'load', rps: 250, p95Ms: 12 });
    expect(written.runs).toEqual([expect.objectContaining({ fromRun: path.basename(path.join(dir, `run-${n}`)), rps: 250, p95Ms: 12 })]);
    expect(result.markdown).toContain('the median of 1 run(s) (it keeps the last 5)');
  });

  it('holds several runs: the bar is their median, the oldest drop out past baselineRuns', () => {
    const file = path.join(dir, 'several', 'baseline.json');
    for (const [rps, p95] of [[100, 40], [1000, 50], [900, 40], [950, 45]] as const) {
      gate(runFolder({ rps, p95, audit: 'ok' }), { baselineFile: file, updateBaseline: true, baselineRuns: 3 });
    }
    const written = JSON.parse(readFileSync(file, 'utf8')) as Baseline;
    expect(written.runs.map((r) => r.rps)).toEqual([1000, 900, 950]);
    expect(written).toMatchObject({ rps: 950, p95Ms: 45 });
    // One slow outlier among them moves the median, not the bar: 665 = 950 × 0.7 passes.
    const result = gate(runFolder({ rps: 665, p95: 50, audit: 'ok' }), { baselineFile: file });
    expect(result.verdict).toBe('pass');
    expect(check(result, 'throughput vs baseline')?.detail).toBe('665.00 req/s, baseline 950.00 (median of 3: 900.00–1,000.00), floor 665.00');
    expect(check(result, 'p95 vs baseline')?.detail).toBe('50.00 ms, baseline 45.00 ms (median of 3: 40.00 ms–50.00 ms), ceiling 90.00 ms');
  });

  it('reads a version-1 baseline (one run) and turns it into the first of several', () => {
    const file = path.join(dir, 'v1.json');
    writeFileSync(file, JSON.stringify({ version: 1, scenario: 'coupon', profile: 'load', rps: 400, p95Ms: 20, fromRun: 'old', createdAt: '2026-01-01T00:00:00Z' }));
    expect(gate(runFolder({ rps: 279, p95: 20, audit: 'ok' }), { baselineFile: file }).verdict).toBe('fail');
    gate(runFolder({ rps: 600, p95: 30, audit: 'ok' }), { baselineFile: file, updateBaseline: true });
    const written = JSON.parse(readFileSync(file, 'utf8')) as Baseline;
    expect(written).toMatchObject({ version: 2, rps: 500, p95Ms: 25 });
    expect(written.runs.map((r) => r.fromRun)[0]).toBe('old');
    writeFileSync(file, JSON.stringify({ version: 2, scenario: 'coupon', profile: 'load', rps: 1, p95Ms: 1, runs: [] }));
    expect(() => gate(runFolder({ rps: 1, p95: 1, audit: 'ok' }), { baselineFile: file })).toThrow(/is not a perf-lab baseline/);
  });

  it('does not overwrite the baseline with a failing run', () => {
    const file = baseline();
    const result = gate(runFolder({ rps: 5000, p95: 5, audit: 'violated' }), { baselineFile: file, updateBaseline: true });
    expect(result.verdict).toBe('fail');
    expect(result.baselineWritten).toBeNull();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ rps: 1000, p95Ms: 50 });
  });

  it('puts the throughput floor at baseline × (1 − rpsDrop), inclusive', () => {
    const file = baseline();
    expect(gate(runFolder({ rps: 700, p95: 50, audit: 'ok' }), { baselineFile: file }).verdict).toBe('pass');
    const below = gate(runFolder({ rps: 690, p95: 50, audit: 'ok' }), { baselineFile: file });
    expect(below.verdict).toBe('fail');
    expect(check(below, 'throughput vs baseline')).toEqual({ name: 'throughput vs baseline', ok: false, detail: '690.00 req/s, baseline 1,000.00, floor 700.00' });
    expect(gate(runFolder({ rps: 690, p95: 50, audit: 'ok' }), { baselineFile: file, tolerances: { rpsDrop: 0.5 } }).verdict).toBe('pass');
  });

  it('puts the p95 ceiling at baseline × (1 + p95Rise)', () => {
    const file = baseline();
    expect(gate(runFolder({ rps: 1000, p95: 100, audit: 'ok' }), { baselineFile: file }).verdict).toBe('pass');
    const slow = gate(runFolder({ rps: 1000, p95: 101, audit: 'ok' }), { baselineFile: file });
    expect(check(slow, 'p95 vs baseline')).toMatchObject({ ok: false, detail: '101.00 ms, baseline 50.00 ms, ceiling 100.00 ms' });
  });

  it('fails without an audit, is unknown when the audit could not decide, and a failure outranks unknown', () => {
    const file = baseline();
    const none = gate(runFolder({ rps: 1000, p95: 50 }), { baselineFile: file });
    expect(check(none, 'audit')).toMatchObject({ ok: false, detail: 'no audit.json — run `perf-lab audit --run` first' });
    expect(gate(runFolder({ rps: 1000, p95: 50, audit: 'unknown' }), { baselineFile: file }).verdict).toBe('unknown');
    expect(gate(runFolder({ rps: 1000, p95: 50, audit: 'unknown', systemErrors: 1 }), { baselineFile: file }).verdict).toBe('fail');
  });

  it('renders the checks as a markdown table headed by the verdict', () => {
    const result = gate(runFolder({ rps: 1000, p95: 50, audit: 'violated', thresholdOk: false }), { baselineFile: baseline() });
    expect(result.markdown.split('\n').slice(0, 5)).toEqual([
      '### perf-lab gate: FAIL — coupon / load', '',
      '| check | result | detail |', '| --- | --- | --- |',
      '| thresholds | **FAIL** | perf_lab_success_duration: p(95)<500 |',
    ]);
    expect(result.markdown).toContain('| audit | **FAIL** | violated: coupon.no-duplicate-issuance (2) |');
  });

  it('refuses a baseline of another scenario or profile, and a missing one', () => {
    const file = baseline();
    expect(() => gate(runFolder({ scenario: 'order', rps: 1, p95: 1, audit: 'ok' }), { baselineFile: file })).toThrow(/is for coupon\/load, this run is order\/load/);
    expect(() => gate(runFolder({ rps: 1, p95: 1, audit: 'ok' }), { baselineFile: path.join(dir, 'absent.json') })).toThrow(ConfigError);
  });

  it('refuses tolerances out of range: a drop of 1 or more would disable the throughput check', () => {
    const file = baseline();
    const run = runFolder({ rps: 1000, p95: 50, audit: 'ok' });
    for (const tolerances of [{ rpsDrop: 1 }, { rpsDrop: 2 }, { rpsDrop: -0.1 }, { p95Rise: -1 }, { p95Rise: Number.NaN }, { p95Rise: Number.POSITIVE_INFINITY }]) {
      expect(() => gate(run, { baselineFile: file, tolerances }), JSON.stringify(tolerances)).toThrow(ConfigError);
    }
    expect(() => gate(run, { baselineFile: file, tolerances: { rpsDrop: 2 } })).toThrow('invalid tolerance rpsDrop: 2 — expected a fraction from 0 up to (not including) 1');
  });
});
