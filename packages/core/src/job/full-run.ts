import path from 'node:path';
import { audit, type AuditReport } from '../audit/audit.ts';
import type { PerfLabConfig } from '../config/config.ts';
import { openMysql } from '../db/mysql-pool.ts';
import type { FaultSpec } from '../fault/fault-spec.ts';
import { refuseUnmanagedFaults } from '../fault/fault-target.ts';
import { labUp } from '../lab/lab.ts';
import { writeReport } from '../report/report.ts';
import { RUN_FILES, writeJson } from '../run/run-record.ts';
import { runScenario, type RunScenarioResult } from '../run/run-scenario.ts';
import type { ProfileOverrides } from '@perf-lab/scenarios/profile-overrides';
import { seed } from '../seed/seed.ts';
import { seedPlan, type SeedPlan } from '../seed/seed-plan.ts';
import { checkHotUsers } from '../run/hot-users.ts';
import { holdRunLock } from '../run/hold-run-lock.ts';
import { applyCartIndex, parseSettings, type ParsedSettings } from '../server/server-settings.ts';
import { startReferenceServer } from '../server/reference-server.ts';
import { reusableServer } from '../server/reuse-server.ts';

export interface FullRunOptions {
  readonly scenario: string;
  readonly profile: string;
  readonly overrides?: ProfileOverrides;
  /** Reference-server settings as KEY=VALUE (strategy=naive, pool=100, lock=global, cart-index=off). */
  readonly settings?: readonly string[];
  readonly seedPlan?: Partial<SeedPlan>;
  readonly runsDir?: string;
  /** Test an API perf-lab did not start: no reference server, no seed. */
  readonly external?: boolean;
  readonly command?: string;
  readonly drainTimeoutMs?: number;
  /** Faults injected during the load (parseFaults); the server among them is the one started here. */
  readonly faults?: readonly FaultSpec[];
  /** Order: draw users from 1..hotUsers only (RunScenarioOptions.hotUsers). */
  readonly hotUsers?: number;
  readonly onProgress?: (line: string) => void;
}

export interface FullRunResult {
  readonly run: RunScenarioResult;
  readonly audit: AuditReport;
  readonly reportFile: string;
}

/**
 * The full run (`perf-lab lab`): lab up → reference server (which migrates) → seed → load → audit → report.
 * A server it started is always stopped, also when a step fails; one it reused is left running.
 * Holds the target's run lock from before the lab starts until the report is written (run-lock.ts).
 */
export async function fullRun(config: PerfLabConfig, options: FullRunOptions): Promise<FullRunResult> {
  const settings = parseSettings(options.settings ?? []);
  refuseUnmanagedFaults(config, options.faults ?? [], { serverStartedHere: !options.external, serverInstances: settings.instances });
  // The seed is known before anything starts: a bad --hot-users is refused before the lab, the
  // seed's reset or the load (an external API's seed is checked by runScenario, against its manifest).
  if (!options.external) {
    checkHotUsers(options.hotUsers, { users: seedPlan(options.seedPlan ?? {}).users, from: "this run's seed", seedMore: (n) => `seed more (\`--users ${n}\`)` });
  }
  return holdRunLock(config, options.command ?? `perf-lab lab -s ${options.scenario} -p ${options.profile}`, () => fullRunHoldingLock(config, options, settings));
}

async function fullRunHoldingLock(config: PerfLabConfig, options: FullRunOptions, settings: ParsedSettings): Promise<FullRunResult> {
  const progress = options.onProgress ?? (() => undefined);
  progress('lab: starting services');
  await labUp(config, { onEvent: (e) => progress(`lab: ${e.service} ${e.action} (${e.address})`) });
  // A server perf-lab started with these settings (`perf-lab serve`) is used as it is and left running.
  const reused = options.external ? undefined : await reusableServer(config, settings.env, settings.instances ?? 1);
  const server = options.external || reused ? undefined : await startReferenceServer(config, settings.env, { instances: settings.instances });
  if (server) progress(`server: reference server at ${server.urls.join(', ')} (${settings.label}), log ${server.logFile}`);
  if (reused) progress(`server: using the reference server perf-lab started at ${reused.url} (pid ${reused.pid}, ${settings.label}); it keeps running after this run`);
  try {
    if (settings.cartIndex) {
      const pool = await openMysql(config.mysql, 1);
      try {
        await applyCartIndex(pool, settings.cartIndex);
      } finally {
        await pool.end();
      }
    }
    if (!options.external) {
      const seeded = await seed(config, { plan: options.seedPlan ?? {}, onProgress: (l) => progress(`seed: ${l}`) });
      progress(`seed: done in ${seeded.seconds.toFixed(2)} s`);
    }
    progress(`run: ${options.scenario} / ${options.profile}`);
    const run = await runScenario(config, {
      scenario: options.scenario, profile: options.profile, ...(options.overrides ? { overrides: options.overrides } : {}),
      ...(options.runsDir ? { runsDir: options.runsDir } : {}),
      // The cart index is a fact of the database, not of the server's environment; record it beside.
      // (runScenario adds the instances it finds perf-lab started at the target, and their URLs.)
      serverSettings: { ...settings.env, ...(settings.cartIndex ? { 'cart-index': settings.cartIndex } : {}) },
      ...(options.command ? { command: options.command } : {}), onProgress: (l) => progress(`run: ${l}`),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.hotUsers !== undefined ? { hotUsers: options.hotUsers } : {}),
    });
    progress('audit: waiting for Kafka lag and the outbox to drain, then checking invariants');
    const report = await audit(config, { runDir: run.runDir, drainTimeoutMs: options.drainTimeoutMs ?? 120_000 });
    writeJson(path.join(run.runDir, RUN_FILES.audit), report);
    const written = writeReport(run.runDir);
    return { run, audit: report, reportFile: written.file };
  } finally {
    await server?.stop();
  }
}
