import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/**
 * Gate exit codes on run folders written the way `perf-lab run` and `audit` write them
 * (the gate reads only files, so these folders are built directly).
 */
function runFolder(opts: { rps: number; p95: number; thresholdOk?: boolean; audit?: 'ok' | 'violated' | 'unknown'; systemErrors?: number }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-lab-gate-'));
  const durationMs = 10_000;
  const successes = Math.round((opts.rps * durationMs) / 1000) - (opts.systemErrors ?? 0);
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify({
    version: 1, scenario: 'coupon', profile: 'load', description: 'test', startedAt: '', finishedAt: '', command: 'perf-lab run coupon',
    target: 'http://127.0.0.1:1', engine: 'embedded', exitCode: opts.thresholdOk === false ? 99 : 0, thresholdsPassed: opts.thresholdOk !== false,
    aborted: false, load: {}, env: {}, serverSettings: {}, versions: {},
  }));
  writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({
    state: { testRunDurationMs: durationMs },
    metrics: {
      perf_lab_successes: { type: 'counter', values: { count: successes } },
      perf_lab_system_failures: { type: 'counter', values: { count: opts.systemErrors ?? 0 } },
      perf_lab_success_duration: {
        type: 'trend', values: { avg: opts.p95 / 2, med: opts.p95 / 2, 'p(90)': opts.p95 * 0.9, 'p(95)': opts.p95, 'p(99)': opts.p95 * 1.2, max: opts.p95 * 2 },
        thresholds: { 'p(95)<500': { ok: opts.thresholdOk !== false } },
      },
    },
  }));
  if (opts.audit) {
    writeFileSync(path.join(dir, 'audit.json'), JSON.stringify({
      ok: opts.audit === 'ok', verdict: opts.audit, drain: { drained: opts.audit !== 'unknown', kafkaLag: 0, outboxPending: 0, waitedSeconds: 0 },
      invariants: [{ name: 'coupon.no-duplicate-issuance', meaning: '', ok: opts.audit !== 'violated', violations: opts.audit === 'violated' ? 2 : 0, examples: [] }],
      operations: null, seconds: 0.1,
    }));
  }
  return dir;
}

describe('perf-lab gate', () => {
  const baselineDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-baseline-'));
  const baseline = path.join(baselineDir, 'ci', 'coupon-load.json');

  it('creates a baseline from a passing run, then passes a run within tolerance (exit 0)', async () => {
    const created = await runCli(['gate', '--baseline', baseline, '--run', runFolder({ rps: 1000, p95: 50, audit: 'ok' }), '--update-baseline']);
    expect(created.code).toBe(0);
    expect(JSON.parse(readFileSync(baseline, 'utf8'))).toMatchObject({ scenario: 'coupon', profile: 'load', rps: 1000, p95Ms: 50 });
    const pass = await runCli(['gate', '--baseline', baseline, '--run', runFolder({ rps: 800, p95: 90, audit: 'ok' })]);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('### perf-lab gate: PASS — coupon / load');
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
    const badTolerance = await runCli(['gate', '--baseline', baseline, '--rps-drop', '-1']);
    expect(badTolerance.code).toBe(2);
    const noRun = await runCli(['gate', '--baseline', baseline, '--run', path.join(baselineDir, 'missing-run')]);
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toContain('does not exist');
  });
});
