import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface RunFolderSpec {
  readonly scenario?: string;
  readonly profile?: string;
  readonly rps: number;
  readonly p95: number;
  readonly thresholdOk?: boolean;
  readonly audit?: 'ok' | 'violated' | 'unknown';
  readonly systemErrors?: number;
}

/**
 * A run folder written the way `perf-lab run` and `audit` write one (run.json, summary.json,
 * audit.json), for commands that read only files: gate and report.
 */
export function writeRunFolder(dir: string, spec: RunFolderSpec): string {
  mkdirSync(dir, { recursive: true });
  const durationMs = 10_000;
  const successes = Math.round((spec.rps * durationMs) / 1000) - (spec.systemErrors ?? 0);
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify({
    version: 1, scenario: spec.scenario ?? 'coupon', profile: spec.profile ?? 'load', description: 'test', startedAt: '', finishedAt: '',
    command: 'perf-lab run coupon', target: 'http://127.0.0.1:1', engine: 'embedded', exitCode: spec.thresholdOk === false ? 99 : 0,
    thresholdsPassed: spec.thresholdOk !== false, aborted: false, load: {}, env: {}, serverSettings: {}, versions: {},
  }));
  writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({
    state: { testRunDurationMs: durationMs },
    metrics: {
      perf_lab_successes: { type: 'counter', values: { count: successes } },
      perf_lab_system_failures: { type: 'counter', values: { count: spec.systemErrors ?? 0 } },
      perf_lab_success_duration: {
        type: 'trend', values: { avg: spec.p95 / 2, med: spec.p95 / 2, 'p(90)': spec.p95 * 0.9, 'p(95)': spec.p95, 'p(99)': spec.p95 * 1.2, max: spec.p95 * 2 },
        thresholds: { 'p(95)<500': { ok: spec.thresholdOk !== false } },
      },
    },
  }));
  if (spec.audit) {
    writeFileSync(path.join(dir, 'audit.json'), JSON.stringify({
      ok: spec.audit === 'ok', verdict: spec.audit, drain: { drained: spec.audit !== 'unknown', kafkaLag: 0, outboxPending: 0, waitedSeconds: 0 },
      invariants: [{ name: 'coupon.no-duplicate-issuance', meaning: '', ok: spec.audit !== 'violated', violations: spec.audit === 'violated' ? 2 : 0, examples: [] }],
      operations: null, seconds: 0.1,
    }));
  }
  return dir;
}
