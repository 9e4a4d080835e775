import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COUPON_STRATEGIES, SERVER_ENV, fillText, holdingsTables, keyTemplate, type CouponStrategyTable, type SystemName } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import { ServiceError } from '../errors.ts';
import { RUN_FILES, type RunRecord } from '../run/run-record.ts';
import { manifestPath, readManifest } from '../seed/seed-manifest.ts';
import { AuditKafka } from './audit-kafka.ts';
import { listTables, openAuditServices, type AuditServices } from './audit-services.ts';
import { describeSettings, resolveAuditSettings } from './audit-settings.ts';
import { waitUntilDrained, type DrainState } from './drain.ts';
import { notApplicable, type AuditContext, type InvariantResult } from './invariant.ts';
import { INVARIANTS } from './invariants/all.ts';
import { userInvariant } from './invariants/user-invariant.ts';
import { checkDeclarations } from './check-declarations.ts';
import { drainText, judge, overallVerdict, type Verdict } from './judge.ts';
import { earlierRunsOperations } from './earlier-runs.ts';
import { readRunEvidence, runApiContract } from './run-evidence.ts';
import type { RunStart } from './run-start.ts';
import { couponStrategyFacts, selectInvariants } from './select-invariants.ts';

export type { Verdict } from './judge.ts';

export interface AuditReport {
  readonly ok: boolean;
  readonly verdict: Verdict;
  /** Why the verdict is unknown (or what else could not be decided); empty when all evidence held. */
  readonly reasons: readonly string[];
  readonly drain: DrainState;
  readonly invariants: readonly InvariantResult[];
  readonly operations: { readonly lines: number; readonly expected: number | null; readonly malformed: number; readonly missing: number } | null;
  /** The server settings the audit judged by, and where it learnt them. */
  readonly settings: { readonly values: Readonly<Record<string, string>>; readonly source: string; readonly described: string };
  /** Where the run began in each table; null when the run recorded none (every row since the seed is the run's). */
  readonly runStart: RunStart | null;
  readonly seconds: number;
}

export interface AuditOptions {
  /** A run folder: its operations.log, summary, run.json and seed manifest are used when present. */
  readonly runDir?: string;
  readonly manifestFile?: string;
  readonly drainTimeoutMs?: number;
  readonly systems?: readonly SystemName[];
  /** The server's settings by REF_* name; given, they win over the run record's. */
  readonly serverSettings?: Readonly<Record<string, string>>;
  /** Shorthand for serverSettings { REF_COUPON_STRATEGY }: the coupon strategy the server ran. */
  readonly couponStrategy?: string;
  /** The strategies the audit knows; default: the contract's. */
  readonly strategies?: CouponStrategyTable;
  /** Bound on each question to MySQL, Redis or Kafka (default 15 s). */
  readonly queryTimeoutMs?: number;
  /** Bound on reading the order-events topic whole (default 30 s). */
  readonly topicReadTimeoutMs?: number;
}

export const OPERATIONS_LOG = RUN_FILES.operations;
export const RUN_MANIFEST = RUN_FILES.manifest;

const NOT_MEASURED: DrainState = { drained: false, kafkaLag: 0, outboxPending: 0, waitedSeconds: 0 };

function readRecord(runDir: string | undefined): Partial<RunRecord> {
  const file = runDir ? path.join(runDir, RUN_FILES.record) : undefined;
  if (!file || !existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Partial<RunRecord>;
}

/** The run's settings when it knew them; an older record's non-empty settings count as known. */
function recordedSettings(record: Partial<RunRecord>): Readonly<Record<string, string>> | undefined {
  if (record.serverSettingsFrom === 'unknown') return undefined;
  if (record.serverSettingsFrom) return record.serverSettings ?? {};
  return record.serverSettings && Object.keys(record.serverSettings).length > 0 ? record.serverSettings : undefined;
}

/**
 * Checks every invariant against the final state, after the pipeline has drained. Evidence
 * the audit cannot trust — a missing or incomplete operations log, an undrained pipeline, a
 * service that does not answer — makes the verdict unknown, never ok.
 */
export async function audit(config: PerfLabConfig, options: AuditOptions = {}): Promise<AuditReport> {
  const started = performance.now();
  // A declared schema or invariant that does not fit the database is the user's to fix (exit 2), not an unknown verdict.
  await checkDeclarations(config).catch((err: unknown) => {
    if (err instanceof ServiceError) return;
    throw err;
  });
  const manifestFile = options.manifestFile
    ?? (options.runDir ? path.join(options.runDir, RUN_MANIFEST) : manifestPath(config.stateDir));
  const manifest = readManifest(manifestFile);
  const evidence = options.runDir ? readRunEvidence(options.runDir) : undefined;
  const record = readRecord(options.runDir);
  const runStart = record.runStart ?? undefined;
  const given = options.couponStrategy !== undefined
    ? { ...options.serverSettings, [SERVER_ENV.couponStrategy]: options.couponStrategy } : options.serverSettings;
  const settings = resolveAuditSettings(config, given, recordedSettings(record));
  const strategies = options.strategies ?? COUPON_STRATEGIES;
  const strategy = couponStrategyFacts(settings.couponStrategy, strategies);
  const reasons = [...(evidence?.problems ?? [])];
  const boundMs = options.queryTimeoutMs ?? 15_000;
  const report = (verdictOf: (results: InvariantResult[]) => Verdict, drain: DrainState, invariants: InvariantResult[]): AuditReport => {
    const verdict = verdictOf(invariants);
    return {
      ok: verdict === 'ok', verdict, reasons, drain, invariants,
      operations: evidence ? { lines: evidence.lines, expected: evidence.expected ?? null, malformed: evidence.malformed, missing: evidence.missing } : null,
      settings: { values: settings.values, source: settings.source, described: describeSettings(settings) },
      runStart: runStart ?? null, seconds: (performance.now() - started) / 1000,
    };
  };

  let services: AuditServices | undefined;
  let kafka: AuditKafka | undefined;
  try {
    // Opened side by side (connecting to Kafka alone takes a few hundred ms); whichever fails
    // first is the reason, and whatever did open is closed below.
    const [opened, openedKafka] = await Promise.allSettled([openAuditServices(config, boundMs), AuditKafka.open(config, boundMs)]);
    if (opened.status === 'fulfilled') services = opened.value;
    if (openedKafka.status === 'fulfilled') kafka = openedKafka.value;
    if (opened.status === 'rejected') throw opened.reason;
    if (openedKafka.status === 'rejected') throw openedKafka.reason;
    const { db, redis } = opened.value;
    const tables = await listTables(db);
    const drain = await waitUntilDrained(config, openedKafka.value, db, tables, options.drainTimeoutMs ?? 60_000);
    if (!drain.drained) reasons.push(`the pipeline did not drain within ${drain.waitedSeconds.toFixed(0)} s (${drainText(drain)}): acknowledged operations still in it are indeterminate`);
    const api = options.runDir ? runApiContract(options.runDir) : config.api;
    const keyAs = keyTemplate(api.orderCreate);
    const ctx: AuditContext = {
      mysql: db, redis, kafka: openedKafka.value, redisKeyPrefix: config.redisKeyPrefix, topicPrefix: config.kafka.topicPrefix, manifest, schema: config.schema, ids: api.ids,
      storedKey: (key, user) => fillText(keyAs, { key, user }), tables,
      holdingsTables: holdingsTables(strategies), operations: evidence?.log,
      earlierOperations: options.runDir ? earlierRunsOperations(options.runDir, manifest) : undefined,
      runStart, settings, drain, topicReadTimeoutMs: options.topicReadTimeoutMs ?? 30_000, shared: new Map(),
    };
    const evidenceState = { logComplete: !evidence || evidence.problems.length === 0, unloggedInFlight: evidence?.unloggedInFlight ?? 0 };
    const selected = selectInvariants([...INVARIANTS, ...config.invariants.map(userInvariant)], strategy, options.systems)
      .map((s) => (config.schema.reference || s.skipped !== undefined || s.invariant.mapped ? s
        : { ...s, skipped: 'it knows only the reference schema, and perf-lab.config.* declares another (docs/your-own-system.md)' }));
    // Set-based queries, a few at a time: the pool has 4 connections.
    const invariants = await Promise.all(selected.map(({ invariant, skipped }) => (skipped !== undefined
      ? { name: invariant.name, meaning: invariant.meaning, status: 'not-applicable' as const, ...notApplicable(skipped) }
      : judge(invariant, ctx, evidenceState))));
    for (const i of invariants) if (i.status === 'unchecked' && i.undecided && !reasons.includes(i.undecided)) reasons.push(i.undecided);
    // A check that found nothing because it had nothing to look at is its own reason; the other
    // indeterminate findings are explained by a reason already listed (the log, the drain).
    for (const i of invariants) if (i.status === 'indeterminate' && i.violations === 0 && i.undecided) reasons.push(`${i.name}: ${i.undecided}`);
    return report((results) => overallVerdict(results, reasons), drain, invariants);
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    reasons.push(err.message);
    return report(() => 'unknown', NOT_MEASURED, []);
  } finally {
    await kafka?.close();
    await services?.close();
  }
}
