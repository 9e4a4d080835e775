import { TABLES } from '@perf-lab/contract';
import { seededId } from '../../seed/seed-manifest.ts';
import { notApplicable, rows, sharedRead, verdict, type AuditContext, type Invariant } from '../invariant.ts';
import { recordId, type RecordId } from '../operation-line.ts';
import type { CouponOps } from '../operations-log.ts';
import type { RunStart } from '../run-start.ts';
import { issuanceRows } from './coupon-issuance.ts';

function holders(ctx: AuditContext, couponId: RecordId, since?: RunStart): Promise<Set<RecordId>> {
  return sharedRead(ctx, `holders:${couponId}:${since ? 'run' : 'seed'}`, async () => {
    const held = await rows(ctx.mysql, `SELECT user_id FROM ${issuanceRows(ctx, since)} WHERE coupon_id = ?`, [couponId]);
    return new Set(held.map((r) => recordId(r['user_id'])));
  });
}

async function rejectionReasons(ctx: AuditContext, couponId: RecordId): Promise<Map<RecordId, string>> {
  if (!ctx.tables.has(TABLES.couponIssueRejections)) return new Map();
  const list = await rows(ctx.mysql, 'SELECT user_id, reason FROM coupon_issue_rejections WHERE coupon_id = ?', [couponId]);
  return new Map(list.map((r) => [recordId(r['user_id']), String(r['reason'])]));
}

/**
 * Jepsen's rule for acknowledged writes: every 202 the load test received must end as a row.
 * A 202 whose request the consumer later rejected is still a lost acknowledgement — the
 * client was told "accepted" — and the rejection reason, when recorded, is shown.
 */
export const couponAcknowledgedPersisted: Invariant = {
  name: 'coupon.acknowledged-persisted',
  meaning: 'every acknowledged (202) issue request ended as an issued coupon',
  system: 'coupon',
  mapped: true,
  // Each request still in Kafka is one 202 not yet written: up to the lag, a loss is not yet one.
  explainedByUndrained: (found, drain) => found.violations <= drain.kafkaLag,
  async check(ctx) {
    if (!ctx.operations) return notApplicable('no run operations log');
    if (!ctx.schema.holders) return notApplicable('the schema declares no coupon holders');
    let lost = 0;
    const examples: string[] = [];
    let recovered = 0;
    let indeterminate = 0;
    for (const [couponId, ops] of ctx.operations.coupons) {
      const held = await holders(ctx, couponId);
      const reasons = await rejectionReasons(ctx, couponId);
      for (const user of ops.ack) {
        if (held.has(user)) continue;
        lost++;
        examples.push(`coupon ${couponId} user ${user}${reasons.has(user) ? ` (rejected after 202: ${reasons.get(user)})` : ''}`);
      }
      for (const user of ops.indeterminate) {
        indeterminate++;
        if (held.has(user)) recovered++;
      }
    }
    return verdict(lost, examples, indeterminate > 0 ? `${indeterminate} indeterminate (timeout/5xx), ${recovered} of them persisted` : undefined);
  },
};

/** Seeded user n's number from the id the system writes (`test-user-42` → 42); Infinity for an id of no seeded user. */
function seededUserNumber(format: string, user: RecordId): number {
  if (typeof user === 'number') return format === '{n}' ? user : Infinity;
  const [head, tail] = format.split('{n}') as [string, string];
  const middle = user.startsWith(head) && user.endsWith(tail) ? user.slice(head.length, user.length - tail.length) : '';
  return /^[1-9]\d{0,15}$/.test(middle) ? Number(middle) : Infinity;
}

/**
 * The other half: a definite failure (a business 4xx) must not have taken effect, and no user
 * may hold the coupon without an acknowledged or indeterminate request for it.
 */
export const couponNothingUnacknowledged: Invariant = {
  name: 'coupon.no-unacknowledged-issue',
  meaning: 'nobody holds the coupon whose every request was refused (or who never asked)',
  system: 'coupon',
  mapped: true,
  // A holder whose request line was lost would look unrequested.
  needsCompleteLog: true,
  async check(ctx) {
    if (!ctx.operations) return notApplicable('no run operations log');
    if (!ctx.schema.holders) return notApplicable('the schema declares no coupon holders');
    let violations = 0;
    const examples: string[] = [];
    const none: CouponOps = { ack: new Set(), fail: new Map(), indeterminate: new Set() };
    // With the run's start known, every coupon's new holders must be accounted for — also of a
    // coupon the run never asked for; without it, only the coupons the log names.
    const ids = new Set<RecordId>([...ctx.operations.coupons.keys(), ...(ctx.runStart ? ctx.manifest.coupons.map((c) => seededId(ctx.ids.coupon, c.id)) : [])]);
    for (const couponId of [...ids].sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true }))) {
      const ops = ctx.operations.coupons.get(couponId) ?? none;
      const seeded = ctx.manifest.coupons.find((c) => seededId(ctx.ids.coupon, c.id) === couponId)?.issuedAtSeed ?? 0;
      // Holders from before the run started are earlier runs' (their audits judged them).
      const held = await holders(ctx, couponId, ctx.runStart);
      for (const user of held) {
        // Coupons held since the seed (coupon 2 belongs to users 1..issuedAtSeed) are not the run's.
        if (seeded > 0 && seededUserNumber(ctx.ids.user, user) <= seeded) continue;
        if (ops.ack.has(user) || ops.indeterminate.has(user)) continue;
        const before = ctx.earlierOperations?.coupons.get(couponId);
        if (before && (before.ack.has(user) || before.indeterminate.has(user))) continue;
        violations++;
        const refused = ops.fail.get(user);
        examples.push(`coupon ${couponId} user ${user}: ${refused ? `holds it after ${refused}` : 'holds it without any request'}`);
      }
    }
    return verdict(violations, examples);
  },
};
