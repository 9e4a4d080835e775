import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PerfLabConfig } from '../config/config.ts';
import { openMysql } from '../db/mysql-pool.ts';
import { openRedis } from '../db/redis-client.ts';
import { existingTables } from '../seed/seed-mysql.ts';
import { manifestPath, readManifest } from '../seed/seed-manifest.ts';
import { waitUntilDrained, type DrainState } from './drain.ts';
import type { Invariant, InvariantResult } from './invariant.ts';
import { INVARIANTS } from './invariants/all.ts';
import { readOperationsLog } from './operations-log.ts';

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
  readonly systems?: readonly ('coupon' | 'order')[];
  /** Whether the coupon system keeps Redis state; default: from the run's server settings, else true. */
  readonly couponUsesRedis?: boolean;
}

/** Strategies of the reference server that issue through MySQL alone. */
const STRATEGIES_WITHOUT_REDIS = ['db-only', 'naive'];

function couponUsesRedis(options: AuditOptions): boolean {
  if (options.couponUsesRedis !== undefined) return options.couponUsesRedis;
  const recordFile = options.runDir ? path.join(options.runDir, 'run.json') : undefined;
  if (!recordFile || !existsSync(recordFile)) return true;
  const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { serverSettings?: Record<string, string> };
  return !STRATEGIES_WITHOUT_REDIS.includes(record.serverSettings?.['REF_COUPON_STRATEGY'] ?? '');
}

export const OPERATIONS_LOG = 'operations.log';
export const RUN_MANIFEST = 'seed-manifest.json';

/** Checks every invariant against the final state, after the pipeline has drained. */
export async function audit(config: PerfLabConfig, options: AuditOptions = {}): Promise<AuditReport> {
  const started = performance.now();
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
      const selected = INVARIANTS.filter((i: Invariant) => !options.systems || options.systems.includes(i.system));
      const ctx = { mysql: pool, redis, redisKeyPrefix: config.redisKeyPrefix, manifest, tables, operations, couponUsesRedis: couponUsesRedis(options) };
      // Set-based queries, a few at a time: the pool has 4 connections.
      const invariants = await Promise.all(selected.map(async (inv) => ({ name: inv.name, meaning: inv.meaning, ...(await inv.check(ctx)) })));
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
