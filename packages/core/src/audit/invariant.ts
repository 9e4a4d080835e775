import type mysql from 'mysql2/promise';
import type { CouponRedisState, IdFormats, SystemName } from '@perf-lab/contract';
import type { SchemaMap } from '../config/schema-map.ts';
import type { SeedManifest } from '../seed/seed-manifest.ts';
import type { AuditKafka } from './audit-kafka.ts';
import type { AuditDb, AuditRedis } from './audit-services.ts';
import type { AuditSettings } from './audit-settings.ts';
import type { DrainState } from './drain.ts';
import type { OperationsLog } from './operations-log.ts';
import type { RunStart } from './run-start.ts';

/** Everything an invariant may read: the final state and what the load test was told. */
export interface AuditContext {
  readonly mysql: AuditDb;
  readonly redis: AuditRedis;
  readonly kafka: AuditKafka;
  readonly redisKeyPrefix: string;
  /** Prefix of every Kafka topic the audited system uses (a declared topic gets it too). */
  readonly topicPrefix: string;
  readonly manifest: SeedManifest;
  /** Where each concept lives in the audited database (the reference schema unless declared). */
  readonly schema: SchemaMap;
  /** How the system writes ids (the run's API contract): seeded coupon n is `formatId(ids.coupon, n)` in its tables and keys. */
  readonly ids: IdFormats;
  /** How the system stores an order request's key (`tx-{key}` → `tx-<key>`): what `orders.idempotencyKey` holds. */
  readonly storedKey: (key: string, user: string | number) => string;
  /** Tables that exist, so a check of an absent system is reported as not applicable. */
  readonly tables: ReadonlySet<string>;
  /** Every table a coupon strategy records holdings in (the contract's), whichever exist count. */
  readonly holdingsTables: readonly string[];
  /** The run's per-operation outcomes; absent when auditing without a run. */
  readonly operations: OperationsLog | undefined;
  /**
   * What earlier runs on the same seed asked for (earlier-runs.ts): a row past this run's start
   * that one of them asked for is theirs, written late by a pipeline still draining.
   */
  readonly earlierOperations: OperationsLog | undefined;
  /**
   * Where the run began in each table (the highest row id then): rows at or below belong to
   * earlier runs on the same seed, which this run's log cannot account for. Absent: every row
   * since the seed is this run's.
   */
  readonly runStart: RunStart | undefined;
  /** The system under test's settings (coupon strategy, outbox topic) and where they came from. */
  readonly settings: AuditSettings;
  readonly drain: DrainState;
  /** Bound on reading a whole Kafka topic. */
  readonly topicReadTimeoutMs: number;
  /** Reads several invariants share (a coupon's holders, the coupon counts), made once per audit. */
  readonly shared: Map<string, Promise<unknown>>;
}

/** A read made once per audit however many invariants ask for it. */
export function sharedRead<T>(ctx: AuditContext, key: string, read: () => Promise<T>): Promise<T> {
  let found = ctx.shared.get(key) as Promise<T> | undefined;
  if (!found) ctx.shared.set(key, (found = read()));
  return found;
}

/**
 * ok / not-applicable pass; violated fails; indeterminate means the evidence could not decide
 * (the pipeline had not drained, the log was incomplete); unchecked means a service failed.
 */
export type InvariantStatus = 'ok' | 'violated' | 'indeterminate' | 'not-applicable' | 'unchecked';

export interface InvariantResult {
  readonly name: string;
  readonly meaning: string;
  readonly status: InvariantStatus;
  readonly ok: boolean;
  readonly violations: number;
  /** Up to 10 example ids, each a short human-readable token. */
  readonly examples: readonly string[];
  /** Extra figures worth showing (e.g. how many indeterminate operations were recovered). */
  readonly note?: string;
  readonly skipped?: string;
  /** Why the violations found cannot be trusted, or why the check could not run. */
  readonly undecided?: string;
  /** How long the check took (it runs alongside the others, so these overlap). */
  readonly ms?: number;
}

/**
 * What a check found. `undecided` with no violation says it had nothing to judge by (a user's
 * Redis check that compared nothing): indeterminate, never ok.
 */
export type CheckResult = Pick<InvariantResult, 'ok' | 'violations' | 'examples' | 'note' | 'skipped' | 'undecided'>;

export interface Invariant {
  readonly name: string;
  readonly meaning: string;
  readonly system: SystemName;
  /** Redis coupon state it reads: it applies only to strategies that keep all of it (select-invariants.ts). */
  readonly needsCouponRedis?: readonly CouponRedisState[];
  /**
   * It reads its tables through the schema map; the others know only the reference schema and
   * are skipped, saying so, on a system that declared its own.
   */
  readonly mapped?: boolean;
  /** Its violations may be false when log lines are missing (a holder whose request line was lost). */
  readonly needsCompleteLog?: boolean;
  /** Whether an undrained pipeline (in-flight messages, unsent events) could account for what it found. */
  explainedByUndrained?(found: CheckResult, drain: DrainState): boolean;
  check(ctx: AuditContext): Promise<CheckResult>;
}

export const MAX_EXAMPLES = 10;

export function verdict(violations: number, examples: readonly string[], note?: string): CheckResult {
  return { ok: violations === 0, violations, examples: examples.slice(0, MAX_EXAMPLES), ...(note ? { note } : {}) };
}

export function notApplicable(reason: string): CheckResult {
  return { ok: true, violations: 0, examples: [], skipped: reason };
}

export async function rows(db: AuditDb, sql: string, params: readonly unknown[] = []): Promise<mysql.RowDataPacket[]> {
  return db.query(sql, params);
}

/** Ids in batches, so an IN list never grows past what one packet should carry. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
