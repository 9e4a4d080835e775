import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RUN_FILES } from '../run/run-record.ts';
import type { SeedManifest } from '../seed/seed-manifest.ts';
import { runIdFormats } from './run-evidence.ts';
import { emptyOperationsLog, readOperationsLog, type CouponOps, type OperationsLog } from './operations-log.ts';

/**
 * What the runs before this one on the same seed asked for: their operations logs, merged.
 * A run starts where the previous one's pipeline may still be writing (a coupon accepted by
 * run 1 and written while run 2 runs); such a row is past run 2's start but was asked for by
 * run 1. Used only to excuse a row, never to accuse one — an earlier log that is incomplete
 * can then only leave a row unexplained, which this run's completeness rules already cover.
 */
export function earlierRunsOperations(runDir: string, manifest: SeedManifest): OperationsLog | undefined {
  const parent = path.dirname(path.resolve(runDir));
  const self = path.basename(path.resolve(runDir));
  // Run folder names begin with their start time, so sorting orders them.
  const earlier = readdirSync(parent).filter((name) => name < self).sort().filter((name) => {
    const file = path.join(parent, name, RUN_FILES.manifest);
    if (!existsSync(file)) return false;
    try {
      const other = JSON.parse(readFileSync(file, 'utf8')) as Partial<SeedManifest>;
      return other.seededAt === manifest.seededAt && other.database === manifest.database;
    } catch {
      return false;
    }
  });
  const logs = earlier.map((name) => readOperationsLog(path.join(parent, name, RUN_FILES.operations), runIdFormats(path.join(parent, name)))).filter((l) => l !== undefined);
  if (logs.length === 0) return undefined;
  const merged = emptyOperationsLog();
  for (const log of logs) {
    for (const [coupon, ops] of log.coupons) {
      let into: CouponOps | undefined = merged.coupons.get(coupon);
      if (!into) merged.coupons.set(coupon, (into = { ack: new Set(), fail: new Map(), indeterminate: new Set() }));
      for (const u of ops.ack) into.ack.add(u);
      for (const u of ops.indeterminate) into.indeterminate.add(u);
      for (const [u, reason] of ops.fail) into.fail.set(u, reason);
    }
    merged.orders.push(...log.orders);
  }
  return merged;
}
