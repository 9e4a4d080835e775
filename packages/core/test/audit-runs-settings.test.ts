import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { couponKeys } from '@perf-lab/contract';
import type { AuditReport } from '../src/index.ts';
import { recordRunStart } from '../src/audit/run-start.ts';
import { inv, useAuditFixture } from './audit-fixture.ts';

/**
 * False verdicts on clean data: a second run on the same seed must not answer for the first
 * run's rows, and a server without Redis state must not be judged by Redis invariants — when
 * the run recorded where it started and what the server ran with, or the audit is told.
 */
describe('audit: several runs on one seed, and the server settings', () => {
  const f = useAuditFixture('auditruns');
  const failing = (report: AuditReport) => report.invariants.filter((i) => i.status === 'violated').map((i) => i.name);
  const writeRecord = (record: object) => writeFileSync(path.join(f.runDir, 'run.json'), JSON.stringify({ version: 1, serverSettings: {}, ...record }));

  it("a second run is judged by the rows it added, not the first run's", async () => {
    // The fixture's state is the first run's. The second run starts now and issues to user 20.
    const runStart = await recordRunStart(f.db.config);
    await f.conn.query('INSERT INTO user_coupons (user_id, coupon_id) VALUES (20, 1); UPDATE coupons SET issued = 6 WHERE id = 1');
    await f.redis.sadd(couponKeys(f.db.config.redisKeyPrefix, 1).issued, '20');
    await f.redis.set(couponKeys(f.db.config.redisKeyPrefix, 1).stock, '4');
    f.writeRun(['perf-lab-op coupon.issue outcome=ack coupon=1 user=20 status=202 reason=OK']);

    // Without the start, the first run's holders and order look like this run's doing.
    const blind = await f.run();
    expect(blind.verdict).toBe('violated');
    expect(inv(blind, 'coupon.no-unacknowledged-issue')).toMatchObject({ violations: 5, examples: expect.arrayContaining(['coupon 1 user 11: holds it without any request']) });

    writeRecord({ runStart });
    const report = await f.run();
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('ok');
    expect(report.runStart).toEqual(runStart);
    expect(runStart.maxIds).toMatchObject({ orders: 1, outbox_events: 1 });

    // A holder the second run never asked for is still caught.
    await f.conn.query('INSERT INTO user_coupons (user_id, coupon_id) VALUES (21, 1); UPDATE coupons SET issued = 7 WHERE id = 1');
    await f.redis.sadd(couponKeys(f.db.config.redisKeyPrefix, 1).issued, '21');
    await f.redis.set(couponKeys(f.db.config.redisKeyPrefix, 1).stock, '3');
    expect(inv(await f.run(), 'coupon.no-unacknowledged-issue')).toMatchObject({ status: 'violated', examples: ['coupon 1 user 21: holds it without any request'] });
    await f.conn.query('DELETE FROM user_coupons WHERE user_id = 21; UPDATE coupons SET issued = 6 WHERE id = 1');
    await f.redis.srem(couponKeys(f.db.config.redisKeyPrefix, 1).issued, '21');
    await f.redis.set(couponKeys(f.db.config.redisKeyPrefix, 1).stock, '4');
    expect((await f.run()).verdict).toBe('ok');
  });

  it("a row the previous run's pipeline wrote after this run began is the previous run's", async () => {
    const runs = mkdtempSync(path.join(tmpdir(), 'perf-lab-auditruns-runs-'));
    const [first, second] = ['2026-11-29T10-00-00-000Z-coupon-load', '2026-11-29T10-05-00-000Z-storm-sequential'].map((n) => path.join(runs, n));
    for (const dir of [first!, second!]) {
      mkdirSync(dir);
      for (const file of ['seed-manifest.json', 'summary.json', 'operations.log']) copyFileSync(path.join(f.runDir, file), path.join(dir, file));
    }
    writeFileSync(path.join(second!, 'run.json'), JSON.stringify({ version: 1, serverSettings: {}, runStart: await recordRunStart(f.db.config) }));
    // Run 1's accepted request for user 22 is written only now, past run 2's start.
    await f.conn.query('INSERT INTO user_coupons (user_id, coupon_id) VALUES (22, 1); UPDATE coupons SET issued = 6 WHERE id = 1');
    await f.redis.sadd(couponKeys(f.db.config.redisKeyPrefix, 1).issued, '22');
    await f.redis.set(couponKeys(f.db.config.redisKeyPrefix, 1).stock, '4');
    expect(inv(await f.run({ runDir: second! }), 'coupon.no-unacknowledged-issue')).toMatchObject({ status: 'violated', examples: ['coupon 1 user 22: holds it without any request'] });
    writeFileSync(path.join(first!, 'operations.log'), 'perf-lab-op coupon.issue outcome=ack coupon=1 user=22 status=202 reason=OK\n');
    expect((await f.run({ runDir: second! })).verdict).toBe('ok');
  });

  it('db-only keeps no Redis state: the run record or `audit --set` says so, and the report says which it used', async () => {
    // A db-only server never wrote these keys.
    const keys = couponKeys(f.db.config.redisKeyPrefix, 1);
    await f.redis.del(keys.issued, keys.stock);
    const assumed = await f.run();
    expect(assumed.settings).toMatchObject({ source: 'defaults (the run recorded no server settings)' });
    expect(failing(assumed)).toEqual(['coupon.redis-set-matches-db', 'coupon.redis-stock-matches-db']);

    writeRecord({ serverSettings: { REF_COUPON_STRATEGY: 'db-only' }, serverSettingsFrom: 'started by perf-lab' });
    const recorded = await f.run();
    expect(recorded.verdict).toBe('ok');
    expect(recorded.settings).toMatchObject({ source: 'run record', described: 'REF_COUPON_STRATEGY=db-only (run record)' });
    expect(inv(recorded, 'coupon.redis-set-matches-db')).toMatchObject({ status: 'not-applicable' });

    // A server perf-lab did not start: the run could not know; the settings are given to audit.
    writeRecord({ serverSettingsFrom: 'unknown' });
    expect((await f.run()).verdict).toBe('violated');
    const given = await f.run({ serverSettings: { REF_COUPON_STRATEGY: 'db-only' } });
    expect(given.verdict).toBe('ok');
    expect(given.settings.source).toBe('given to audit');

    // Back to redis-kafka with its state restored: ok by the defaults again.
    await f.redis.sadd(keys.issued, '11', '12', '13', '14', '15');
    await f.redis.set(keys.stock, '5');
    writeRecord({ serverSettingsFrom: 'started by perf-lab' });
    expect((await f.run()).verdict).toBe('ok');
  });
});
