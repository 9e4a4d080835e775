import type mysql from 'mysql2/promise';
import type { Redis } from 'ioredis';
import type { CouponRedisState, SystemName } from '@perf-lab/contract';
import type { SeedManifest } from '../seed/seed-manifest.ts';
import type { OperationsLog } from './operations-log.ts';

/** Everything an invariant may read: the final state and what the load test was told. */
export interface AuditContext {
  readonly mysql: mysql.Pool;
  readonly redis: Redis;
  readonly redisKeyPrefix: string;
  readonly manifest: SeedManifest;
  /** Tables that exist, so a check of an absent system is reported as not applicable. */
  readonly tables: ReadonlySet<string>;
  /** The run's per-operation outcomes; absent when auditing without a run. */
  readonly operations: OperationsLog | undefined;
  /** Every table a coupon strategy records holdings in (the contract's), whichever exist count. */
  readonly holdingsTables: readonly string[];
}

export interface InvariantResult {
  readonly name: string;
  readonly meaning: string;
  readonly ok: boolean;
  readonly violations: number;
  /** Up to 10 example ids, each a short human-readable token. */
  readonly examples: readonly string[];
  /** Extra figures worth showing (e.g. how many indeterminate operations were recovered). */
  readonly note?: string;
  readonly skipped?: string;
}

export interface Invariant {
  readonly name: string;
  readonly meaning: string;
  readonly system: SystemName;
  /** Redis coupon state it reads: it applies only to strategies that keep all of it (select-invariants.ts). */
  readonly needsCouponRedis?: readonly CouponRedisState[];
  check(ctx: AuditContext): Promise<Omit<InvariantResult, 'name' | 'meaning'>>;
}

export const MAX_EXAMPLES = 10;

export function verdict(violations: number, examples: readonly string[], note?: string): Omit<InvariantResult, 'name' | 'meaning'> {
  return { ok: violations === 0, violations, examples: examples.slice(0, MAX_EXAMPLES), ...(note ? { note } : {}) };
}

export function notApplicable(reason: string): Omit<InvariantResult, 'name' | 'meaning'> {
  return { ok: true, violations: 0, examples: [], skipped: reason };
}

export async function rows(pool: mysql.Pool, sql: string, params: unknown[] = []): Promise<mysql.RowDataPacket[]> {
  const [result] = await pool.query<mysql.RowDataPacket[]>(sql, params);
  return result;
}
