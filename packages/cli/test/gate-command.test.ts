import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gate } from '@perf-lab/core';
import { runCli } from './run-cli.ts';
import { writeRunFolder, type RunFolderSpec } from '../../core/test/run-folder.ts';

/**
 * Gate exit codes on run folders written the way `perf-lab run` and `audit` write them
 * (the gate reads only files, so these folders are built directly).
 */
const runFolder = (spec: RunFolderSpec): string => writeRunFolder(mkdtempSync(path.join(tmpdir(), 'perf-lab-gate-')), spec);

describe('perf-lab gate', () => {
  const baselineDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-baseline-'));
  // The baseline the other tests gate against: 1000 req/s, p95 50 ms. Written here, not by
  // the first test, so any test can run alone.
  const baseline = path.join(baselineDir, 'ci', 'coupon-load.json');
  beforeAll(() => {
    gate(runFolder({ rps: 1000, p95: 50, audit: 'ok' }), { baselineFile: baseline, updateBaseline: true });
  });

  it('creates a baseline from a passing run, then passes a run within tolerance (exit 0)', async () => {
    const fresh = path.join(baselineDir, 'fresh', 'coupon-load.json');
    const created = await runCli(['gate', '--baseline', fresh, '--run', runFolder({ rps: 1000, p95: 50, audit: 'ok' }), '--update-baseline']);
    expect(created.code).toBe(0);
    expect(JSON.parse(readFileSync(fresh, 'utf8'))).toMatchObject({ scenario: 'coupon', profile: 'load', rps: 1000, p95Ms: 50 });
    const pass = await runCli(['gate', '--baseline', fresh, '--run', runFolder({ rps: 800, p95: 90, audit: 'ok' })]);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('### perf-lab gate: PASS — coupon / load');
  });

  it('--update-baseline adds runs; the bar is the median of the newest --baseline-runs', async () => {
    const several = path.join(baselineDir, 'several', 'coupon-load.json');
    for (const rps of [100, 900, 1000, 1100]) {
      const r = await runCli(['gate', '--baseline', several, '--run', runFolder({ rps, p95: 50, audit: 'ok' }), '--update-baseline', '--baseline-runs', '3']);
      expect(r.code).toBe(0);
    }
    expect(JSON.parse(readFileSync(several, 'utf8'))).toMatchObject({ version: 2, rps: 1000, runs: [{ rps: 900 }, { rps: 1000 }, { rps: 1100 }] });
    const slow = await runCli(['gate', '--baseline', several, '--run', runFolder({ rps: 690, p95: 50, audit: 'ok' })]);
    expect(slow.code).toBe(1);
    expect(slow.stdout).toContain('| throughput vs baseline | **FAIL** | 690.00 req/s, baseline 1,000.00 (median of 3: 900.00–1,100.00), floor 700.00 |');
    const bad = await runCli(['gate', '--baseline', several, '--update-baseline', '--baseline-runs', '0']);
    expect(bad.code).toBe(2);
  });

  it('fails on a threshold failure (exit 1)', async () => {
    const r = await runCli(['gate', '--baseline', baseline, '--run', runFolder({ rps: 1000, p95: 50, audit: 'ok', thresholdOk: false }), '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { verdict: string; checks: { name: string; ok: boolean | null }[] };
    expect(doc.verdict).toBe('fail');
    expect(doc.checks.filter((c) => c.ok === false).map((c) => c.name)).toEqual(['thresholds']);
  });

  it('fails on an audit violation (exit 1) and is unknown when the audit could not decide (exit 3)', async () => {
    const violated = await runCli(['gate', '--baseline', baseline, '--run', runFolder({ rps: 1000, p95: 50, audit: 'violated' })]);
    expect(violated.code).toBe(1);
    expect(violated.stdout).toMatch(/\| audit \| \*\*FAIL\*\* \| violated: coupon\.no-duplicate-issuance \(2\) \|/);
    const unknown = await runCli(['gate', '--baseline', baseline, '--run', runFolder({ rps: 1000, p95: 50, audit: 'unknown' })]);
    expect(unknown.code).toBe(3);
  });

  it('fails on system errors and on a regression against the baseline (exit 1)', async () => {
    const errors = await runCli(['gate', '--baseline', baseline, '--run', runFolder({ rps: 1000, p95: 50, audit: 'ok', systemErrors: 3 })]);
    expect(errors.code).toBe(1);
    const slower = await runCli(['gate', '--baseline', baseline, '--run', runFolder({ rps: 600, p95: 50, audit: 'ok' }), '--json']);
    expect(slower.code).toBe(1);
    expect((JSON.parse(slower.stdout) as { checks: { name: string; ok: boolean }[] }).checks.find((c) => c.name === 'throughput vs baseline')?.ok).toBe(false);
    const laggy = await runCli(['gate', '--baseline', baseline, '--run', runFolder({ rps: 1000, p95: 120, audit: 'ok' }), '--p95-rise', '0.5']);
    expect(laggy.code).toBe(1);
    expect(laggy.stdout).toMatch(/p95 vs baseline \| \*\*FAIL\*\*/);
  });

  it('rejects bad arguments with a usage error (exit 2)', async () => {
    const noBaseline = await runCli(['gate', '--run', runFolder({ rps: 1, p95: 1, audit: 'ok' })]);
    expect(noBaseline.code).toBe(2);
    expect(noBaseline.stderr).toContain("required option '--baseline <file>' not specified");
    const missing = await runCli(['gate', '--baseline', path.join(baselineDir, 'nope.json'), '--run', runFolder({ rps: 1, p95: 1, audit: 'ok' })]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no baseline at');
    const run = runFolder({ rps: 1000, p95: 50, audit: 'ok' });
    // A drop of 1 or more would put the floor at zero or below and silently disable the check.
    for (const [flag, value] of [['--rps-drop', '2'], ['--rps-drop', '1'], ['--p95-rise', '-0.1'], ['--p95-rise', ''], ['--p95-rise', 'Infinity']] as const) {
      const bad = await runCli(['gate', '--baseline', baseline, '--run', run, flag, value]);
      expect(bad.code, `${flag} ${value}`).toBe(2);
      expect(bad.stderr).toContain(`option '${flag} <fraction>' argument '${value}' is invalid. expected a fraction`);
      expect(bad.stdout).toBe('');
    }
    const edge = await runCli(['gate', '--baseline', baseline, '--run', run, '--rps-drop', '0.99', '--p95-rise', '5', '--json']);
    expect(edge.code).toBe(0);
    expect((JSON.parse(edge.stdout) as { checks: { name: string; detail: string }[] }).checks.find((c) => c.name === 'throughput vs baseline')?.detail).toContain('floor 10.00');
    const noRun = await runCli(['gate', '--baseline', baseline, '--run', path.join(baselineDir, 'missing-run')]);
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toContain('does not exist');
  });
});
