import { sqlId } from '../check-declarations.ts';
import { seededId } from '../../seed/seed-manifest.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { issuanceRows } from './coupon-issuance.ts';

/**
 * A holding names a user and a coupon that exist, and no seeded coupon has vanished. Nothing
 * else sees a coupon issued to a user who does not exist: its row is counted, mirrored in
 * Redis and, when its request was logged, acknowledged — every other check agrees with it.
 * The holdings tables keep no foreign key to users (and the naive one none to coupons).
 */
export const couponHoldersExist: Invariant = {
  name: 'coupon.holders-exist',
  meaning: 'every holding names an existing user and an existing coupon; every seeded coupon and seeded holding still exists',
  system: 'coupon',
  // Not mapped: a declaration may move users and keep the holdings tables, and which users
  // table a holding then names is not declared.
  async check(ctx) {
    const { holders, users: u, coupons: c } = ctx.schema;
    if (!holders) return notApplicable('the schema declares no coupon holders');
    if (!c || !ctx.tables.has(c.table)) return notApplicable('no coupons table declared or present');
    // Without a users table only the coupon side can be checked.
    const users = u !== null && ctx.tables.has(u.table) ? u : null;
    const noUser = users ? `u.${sqlId(users.id)} IS NULL` : 'FALSE';
    const cid = `c.${sqlId(c.id)}`;
    const orphans = await rows(ctx.mysql,
      `SELECT issuance.user_id, issuance.coupon_id, ${noUser} AS no_user
       FROM ${issuanceRows(ctx)}
       ${users ? `LEFT JOIN ${sqlId(users.table)} u ON u.${sqlId(users.id)} = issuance.user_id` : ''}
       LEFT JOIN ${sqlId(c.table)} c ON ${cid} = issuance.coupon_id
       WHERE ${noUser} OR ${cid} IS NULL
       ORDER BY issuance.coupon_id, issuance.user_id`);
    const seeded = ctx.manifest.coupons.map((s) => seededId(ctx.ids.coupon, s.id));
    const present = seeded.length === 0 ? [] : await rows(ctx.mysql,
      `SELECT ${sqlId(c.id)} AS id FROM ${sqlId(c.table)} WHERE ${sqlId(c.id)} IN (?)`, [seeded]);
    const found = new Set(present.map((r) => String(r['id'])));
    const missing = seeded.filter((id) => !found.has(String(id)));
    // The seed hands coupons out to users 1..issuedAtSeed; a holding gone with its counter
    // adjusted (and, without Redis state, nothing to mirror it) shows nowhere else.
    const lostHoldings: string[] = [];
    let lost = 0;
    for (const s of ctx.manifest.coupons.filter((m) => m.issuedAtSeed > 0)) {
      const [row] = await rows(ctx.mysql,
        `SELECT COUNT(DISTINCT user_id) AS n FROM ${issuanceRows(ctx)} WHERE coupon_id = ? AND user_id BETWEEN 1 AND ?`,
        [seededId(ctx.ids.coupon, s.id), s.issuedAtSeed]);
      const gone = s.issuedAtSeed - Number(row?.['n'] ?? 0);
      if (gone <= 0) continue;
      lost += gone;
      lostHoldings.push(`coupon ${seededId(ctx.ids.coupon, s.id)}: ${gone} of its ${s.issuedAtSeed} seeded holdings (users 1..${s.issuedAtSeed}) no longer held`);
    }
    return verdict(orphans.length + missing.length + lost, [
      ...missing.map((id) => `coupon ${id}: seeded, no longer exists`),
      ...lostHoldings,
      ...orphans.map((r) => `coupon ${r['coupon_id']} user ${r['user_id']}: held, but ${Number(r['no_user']) ? 'no such user' : 'no such coupon'}`),
    ]);
  },
};
