import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COUPON_STRATEGIES, SERVER_ENV, holdingsTables, type CouponStrategyTable, type SystemName } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import { openMysql } from '../db/mysql-pool.ts';
import { openRedis } from '../db/redis-client.ts';
import { existingTables } from '../seed/seed-mysql.ts';
import { manifestPath, readManifest } from '../seed/seed-manifest.ts';
import { waitUntilDrained, type DrainState } from './drain.ts';
import { notApplicable, type AuditContext, type InvariantResult } from './invariant.ts';
import { INVARIANTS } from './invariants/all.ts';
import { readOperationsLog } from './operations-log.ts';
import { couponStrategyFacts, selectInvariants } from './select-invariants.ts';

export type Verdict = 'ok' | 'violated' | 'unknown';

export interface AuditReport {
  readonly ok: boolean;
  readonly verdict: Verdict;
  readonly drain: DrainState;
  readonly invariants: readonly InvariantResult[];
  readonly operations: { readonly lines: number } | null;
  readonly seconds: number;
}

export interface AuditOptions {
  /** A run folder: its operations.log and seed manifest are used when present. */
  readonly runDir?: string;
  readonly manifestFile?: string;
  readonly drainTimeoutMs?: number;
  readonly systems?: readonly SystemName[];
  /** The coupon strategy the server ran; default: the run's server settings, else the server's default. */
  readonly couponStrategy?: string;
  /** The strategies the audit knows; default: the contract's. */
  readonly strategies?: CouponStrategyTable;
}

function couponStrategyName(options: AuditOptions): string | undefined {
  if (options.couponStrategy !== undefined) return options.couponStrategy;
  const recordFile = options.runDir ? path.join(options.runDir, 'run.json') : undefined;
  if (!recordFile || !existsSync(recordFile)) return undefined;
  const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { serverSettings?: Record<string, string> };
  return record.serverSettings?.[SERVER_ENV.couponStrategy];
}

export const OPERATIONS_LOG = 'operations.log';
export const RUN_MANIFEST = 'seed-manifest.json';

/** Checks every invariant against the final state, after the pipeline has drained. */
export async function audit(config: PerfLabConfig, options: AuditOptions = {}): Promise<AuditReport> {
  const started = performance.now();
  const strategies = options.strategies ?? COUPON_STRATEGIES;
  const strategy = couponStrategyFacts(couponStrategyName(options), strategies);
  const manifestFile = options.manifestFile
    ?? (options.runDir ? path.join(options.runDir, RUN_MANIFEST) : manifestPath(config.stateDir));
  const manifest = readManifest(manifestFile);
  const operations = options.runDir ? await readOperationsLog(path.join(options.runDir, OPERATIONS_LOG)) : undefined;
  const pool = await openMysql(config.mysql, 4);
  try {
    const redis = await openRedis(config.redis.url);
    try {
      const tables = await existingTables(pool);
      const drain = await waitUntilDrained(config, pool, tables, options.drainTimeoutMs ?? 60_000);
      const selected = selectInvariants(INVARIANTS, strategy, options.systems);
      const ctx: AuditContext = {
        mysql: pool, redis, redisKeyPrefix: config.redisKeyPrefix, manifest, tables, operations, holdingsTables: holdingsTables(strategies),
      };
      // Set-based queries, a few at a time: the pool has 4 connections.
      const invariants = await Promise.all(selected.map(async ({ invariant: inv, skipped }) => ({
        name: inv.name, meaning: inv.meaning, ...(skipped !== undefined ? notApplicable(skipped) : await inv.check(ctx)),
      })));
      const violated = invariants.some((i) => !i.ok);
      const verdict: Verdict = violated ? 'violated' : drain.drained ? 'ok' : 'unknown';
      return {
        ok: verdict === 'ok', verdict, drain, invariants,
        operations: operations ? { lines: operations.lines } : null,
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      redis.disconnect();
    }
  } finally {
    await pool.end();
  }
}
