import { describe, expect, it } from 'vitest';
import { parseUserInvariants } from '../src/config/user-invariants.ts';
import { audit, type AuditReport } from '../src/index.ts';
import { inv, useAuditFixture } from './audit-fixture.ts';

/**
 * A user's Redis check compares a key with what its SQL returns. Two absences — no SQL row, or
 * a null where the key is missing — agree without proving anything: the check compared
 * nothing, so it is indeterminate and the verdict unknown, never ok. Once there is something to
 * compare, it is judged as before: equal is ok, different is violated.
 */
describe('audit: a user Redis check that compared nothing is unknown, never ok', () => {
  const f = useAuditFixture('auditredischeck');
  const key = (name: string) => `${f.db.config.redisKeyPrefix}${name}`;
  const withChecks = (checks: readonly object[]): Promise<AuditReport> =>
    audit({ ...f.db.config, invariants: parseUserInvariants(checks) }, { runDir: f.runDir, drainTimeoutMs: 2000, queryTimeoutMs: 5000 });
  const issuedCount = (sql: string) => ({
    name: 'coupon.issued-count', meaning: 'the Redis issued count equals the coupon row', system: 'coupon',
    redis: { read: 'get', key: 'shop:issued:count' }, sql,
  });

  it('no SQL row and no key: unknown, naming the key; a row to compare decides it', async () => {
    const none = await withChecks([issuedCount('SELECT issued FROM coupons WHERE id = 999')]);
    expect(inv(none, 'user.coupon.issued-count')).toMatchObject({
      status: 'indeterminate', ok: false, violations: 0,
      undecided: `no evidence: it compared nothing for 1 of 1 key(s) (GET ${key('shop:issued:count')} = missing, SQL returned no row)`,
    });
    expect(none.verdict).toBe('unknown');
    expect(none.reasons).toContain(`user.coupon.issued-count: ${inv(none, 'user.coupon.issued-count').undecided}`);

    // A value in Redis with still no row to compare it with decides nothing either.
    await f.redis.set(key('shop:issued:count'), '5');
    const unmatched = await withChecks([issuedCount('SELECT issued FROM coupons WHERE id = 999')]);
    expect(inv(unmatched, 'user.coupon.issued-count')).toMatchObject({ status: 'indeterminate', undecided: expect.stringMatching(/= 5, SQL returned no row/) });
    expect(unmatched.verdict).toBe('unknown');

    const compared = await withChecks([issuedCount('SELECT issued FROM coupons WHERE id = 1')]);
    expect(inv(compared, 'user.coupon.issued-count')).toMatchObject({ status: 'ok', violations: 0 });
    expect(compared.verdict).toBe('ok');

    // The key missing while the database holds a value is a violation, as before.
    await f.redis.del(key('shop:issued:count'));
    const lost = await withChecks([issuedCount('SELECT issued FROM coupons WHERE id = 1')]);
    expect(inv(lost, 'user.coupon.issued-count')).toMatchObject({
      status: 'violated', violations: 1, examples: [`GET ${key('shop:issued:count')} = missing, SQL says 5`],
    });
    expect(lost.verdict).toBe('violated');
  });

  it('a null SQL value and a missing key compared nothing too', async () => {
    const report = await withChecks([issuedCount('SELECT MAX(user_id) FROM user_coupons WHERE coupon_id = 999')]);
    expect(inv(report, 'user.coupon.issued-count')).toMatchObject({
      status: 'indeterminate', undecided: expect.stringMatching(/= missing, SQL says null\)$/),
    });
    expect(report.verdict).toBe('unknown');
  });

  it('per coupon: one key with nothing to compare makes it unknown; a disagreeing key still makes it violated', async () => {
    const perCoupon = {
      name: 'coupon.issued-each', meaning: "each coupon's Redis issued count equals its row", system: 'coupon',
      redis: { read: 'get', key: 'shop:{coupon}:issued' },
      // Coupon 2 has no row here: its key is compared with nothing.
      sql: 'SELECT issued FROM coupons WHERE id = ? AND id = 1',
    };
    await f.redis.set(key('shop:1:issued'), '5');
    const partial = await withChecks([perCoupon]);
    expect(inv(partial, 'user.coupon.issued-each')).toMatchObject({
      status: 'indeterminate', violations: 0,
      undecided: `no evidence: it compared nothing for 1 of 2 key(s) (coupon 2: GET ${key('shop:2:issued')} = missing, SQL returned no row)`,
    });
    expect(partial.verdict).toBe('unknown');

    await f.redis.set(key('shop:1:issued'), '4');
    const wrong = await withChecks([perCoupon]);
    expect(inv(wrong, 'user.coupon.issued-each')).toMatchObject({
      status: 'violated', violations: 1, examples: [`coupon 1: GET ${key('shop:1:issued')} = 4, SQL says 5`],
      note: expect.stringMatching(/^it also compared nothing for 1 of 2 key\(s\)/),
    });
    expect(wrong.verdict).toBe('violated');
    await f.redis.del(key('shop:1:issued'));
  });
});
