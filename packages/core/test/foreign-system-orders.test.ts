import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { parseApiContract } from '@perf-lab/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PerfLabConfig } from '../src/config/config.ts';
import { ConfigError } from '../src/errors.ts';
import { parseSchemaMap } from '../src/config/schema-map.ts';
import { parseUserInvariants } from '../src/config/user-invariants.ts';
import { audit, runScenario, type AuditReport } from '../src/index.ts';
import { manifestPath, writeManifest } from '../src/seed/seed-manifest.ts';
import { inv } from './audit-fixture.ts';
import { FOREIGN_SCHEMA_SQL, PURCHASE_COUNT_KEY, startForeignService, type ForeignService } from './foreign-system/foreign-service.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/**
 * The order flow of a system perf-lab did not write (foreign-system/): loaded with the bundled
 * order scenario through the contract file, audited through its schema — text order numbers,
 * no paid column, prices only on the goods, a before/after ledger with a kind, an outbox whose
 * relay puts the event id in the JSON value. Each corruption the reference schema's order tests
 * make is made here in the system's own tables and ids, flagged, reverted, and audited ok again.
 */
const declared = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'foreign-system', 'perf-lab.config.json'), 'utf8')) as
  { api: unknown; schema: unknown; invariants: unknown };
const USERS = 80;
/** Users 21..30 start poor (the manifest says so): their orders are refused 400 INSUFFICIENT_POINTS. */
const POOR = Array.from({ length: 10 }, (_, i) => `test-user-${21 + i}`);
/** An order is 2 × product 1 at 100 + 1 × product 2 at 300; product 2 runs out after 65. */
const ORDER_TOTAL = 500;
const PRODUCT_2_STOCK = 65;
const ORDER_MAP = [
  'order.stock-conservation', 'order.no-negative-stock', 'order.balance-drift', 'order.ledger-transaction-unique', 'order.ledger-chain',
  'order.payments-match-ledger', 'order.paid-order-complete', 'order.charge-equals-order', 'order.coupon-used-once',
  'order.coupon-use-consistent', 'order.acknowledged-persisted', 'order.no-phantom-orders', 'order.sent-events-on-kafka', 'order.amounts-exact', 'order.references-intact',
];

/** The user's own Redis checks: a key (or a key per coupon) compared with SQL. */
const REDIS_CHECKS = [
  {
    name: 'shop.purchase-count', meaning: "the service's Redis count of purchases equals the completed purchases", system: 'order',
    redis: { read: 'get', key: PURCHASE_COUNT_KEY }, sql: "SELECT COUNT(*) FROM purchase WHERE state = 'COMPLETED'",
  },
  {
    name: 'promo.members-match-claims', meaning: "each promo's Redis member set is as large as its claims", system: 'coupon',
    redis: { read: 'scard', key: 'fcfs:{coupon}:members' }, sql: 'SELECT COUNT(*) FROM promo_claim WHERE promo_code = ?',
  },
];

type Row = Record<string, unknown>;

describe('a foreign order flow, declared as data', () => {
  let db: TestDatabase;
  let conn: mysql.Connection;
  let redis: Redis;
  const countKey = () => `${db.config.redisKeyPrefix}${PURCHASE_COUNT_KEY}`;
  let service: ForeignService;
  let config: PerfLabConfig;
  let runDir = '';
  let topic = '';
  const runsDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-foreign-orders-'));
  const query = async (sql: string, params: unknown[] = []) => (await conn.query(sql, params))[0] as Row[];
  const check = () => audit(config, { runDir, drainTimeoutMs: 10_000 });
  const failing = (report: AuditReport) => report.invariants.filter((i) => i.status === 'violated').map((i) => i.name);
  const expectOk = async () => {
    const report = await check();
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('ok');
  };
  /** A paid order of a rich user who bought without a promo, with its settlement and ledger row. */
  const plainOrder = async (from = 1): Promise<Row> => {
    const [order] = await query(`SELECT p.order_no, p.buyer, s.charged, h.hist_id, h.balance_before FROM purchase p
      JOIN settlement s ON s.order_no = p.order_no JOIN wallet_history h ON h.order_no = p.order_no
      WHERE p.promo_code IS NULL AND CAST(SUBSTRING(p.buyer, 11) AS UNSIGNED) >= ? ORDER BY CAST(SUBSTRING(p.buyer, 11) AS UNSIGNED) LIMIT 1`, [from]);
    return order!;
  };

  beforeAll(async () => {
    db = await createTestDatabase('foreignorders');
    conn = await mysql.createConnection({ uri: db.config.mysql.url, multipleStatements: true });
    redis = new Redis(db.config.redis.url);
    await conn.query(FOREIGN_SCHEMA_SQL);
    topic = `${db.config.kafka.topicPrefix}shop.purchases`;
    service = await startForeignService(db.config.mysql.url, db.config.redis.url, db.config.redisKeyPrefix, { brokers: db.config.kafka.brokers, topic });
    config = {
      ...db.config, targetUrl: service.url,
      api: parseApiContract(declared.api), schema: parseSchemaMap(declared.schema),
      invariants: parseUserInvariants([...(declared.invariants as unknown[]), ...REDIS_CHECKS]),
    };
    // The user's own seed, and the manifest that tells the audit what it holds (poor users included).
    await query('INSERT INTO members VALUES ?', [Array.from({ length: USERS }, (_, i) => [`test-user-${i + 1}`, POOR.includes(`test-user-${i + 1}`) ? 100 : 1000])]);
    await query("INSERT INTO goods VALUES ('test-product-1', 100, 1000), ('test-product-2', 300, ?), ('test-product-3', 50, 10)", [PRODUCT_2_STOCK]);
    await query(`INSERT INTO promo (code, quantity, claimed, closes_at, discount) VALUES ('test-coupon-1', 10, 0, NOW(3) + INTERVAL 1 DAY, 0),
      ('test-coupon-2', 10, 10, NOW(3) + INTERVAL 1 DAY, 100)`);
    const holders = Array.from({ length: 10 }, (_, i) => `test-user-${i + 1}`);
    await query('INSERT INTO promo_claim (member_id, promo_code) VALUES ?', [holders.map((u) => [u, 'test-coupon-2'])]);
    await redis.sadd(`${db.config.redisKeyPrefix}fcfs:test-coupon-2:members`, ...holders);
    writeManifest(manifestPath(config.stateDir), {
      version: 1, seededAt: new Date().toISOString(), database: config.mysql.database, redisKeyPrefix: config.redisKeyPrefix,
      plan: { users: USERS, initialBalance: 1000, couponStock: 10, orderCouponHolders: 10, products: 3, productStock: 0, productPrice: 0, cartItems: [], keep: false },
      coupons: [{ id: 1, total: 10, issuedAtSeed: 0 }, { id: 2, total: 10, issuedAtSeed: 10 }],
      products: [{ id: 1, initialQuantity: 1000, price: 100 }, { id: 2, initialQuantity: PRODUCT_2_STOCK, price: 300 }, { id: 'test-product-3', initialQuantity: 10, price: 50 }],
      balanceRule: { firstUser: 1, lastUser: USERS, initialBalance: 1000 },
      balances: Object.fromEntries(POOR.map((u) => [u, 100])),
    });
    const run = await runScenario(config, { scenario: 'order', profile: 'sequential', overrides: { scale: 0.04, vus: 2 }, runsDir });
    runDir = run.runDir;
    expect(run.results).toMatchObject({
      successes: PRODUCT_2_STOCK, systemErrors: 0, businessByReason: { INSUFFICIENT_POINTS: POOR.length, OUT_OF_STOCK: USERS - POOR.length - PRODUCT_2_STOCK },
    });
  });
  afterAll(async () => {
    await service?.stop();
    redis?.disconnect();
    await conn?.end();
    await db?.drop();
  });

  it('a clean run audits ok, every order invariant run on the mapping, none skipped', async () => {
    const log = readFileSync(path.join(runDir, 'operations.log'), 'utf8');
    expect(log).toMatch(/perf-lab-op order\.create outcome=ack user=test-user-\d+ status=200 reason=OK order=ORD-[0-9a-f]{12} key=\S+/);
    expect(log).toMatch(/perf-lab-op order\.create outcome=fail user=test-user-2\d status=400 reason=INSUFFICIENT_POINTS/);
    const report = await check();
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('ok');
    for (const name of ORDER_MAP) expect(inv(report, name), name).toMatchObject({ status: 'ok' });
    expect(inv(report, 'order.sent-events-on-kafka').note).toBe(`${PRODUCT_2_STOCK} sent event(s) matched against ${PRODUCT_2_STOCK} on ${topic}`);
  });

  it('a second paid order nobody asked for (a server-side retry) is a phantom', async () => {
    const { buyer } = await plainOrder();
    const [member] = await query('SELECT points FROM members WHERE member_id = ?', [buyer]);
    const before = Number(member!['points']);
    // Product 2 is sold out: the retry bought product 1 only (2 × 100).
    await query(`INSERT INTO purchase VALUES ('ORD-phantom', ?, 'COMPLETED', 200, NULL, 0, 'retry-1');
      INSERT INTO purchase_line (order_no, sku, qty) VALUES ('ORD-phantom', 'test-product-1', 2);
      INSERT INTO settlement (order_no, charged, tx_ref) VALUES ('ORD-phantom', 200, 'retry-1');
      INSERT INTO wallet_history (member, change_amount, balance_before, balance_after, transaction_id, kind, order_no) VALUES (?, -200, ?, ?, 'retry-1', 'DEBIT', 'ORD-phantom');
      INSERT INTO event_outbox (aggregate_ref, event_name, body) VALUES ('ORD-phantom', 'PurchaseCompleted', '{}');
      UPDATE members SET points = points - 200 WHERE member_id = ?; UPDATE goods SET on_hand = on_hand - 2 WHERE sku = 'test-product-1'`,
    [buyer, buyer, before, before - 200, buyer]);
    // The retry went through the service's own code, which counted it.
    await redis.incr(countKey());
    const report = await check();
    expect(failing(report)).toEqual(['order.no-phantom-orders']);
    expect(inv(report, 'order.no-phantom-orders')).toMatchObject({ violations: 1, examples: [`order ORD-phantom (user ${buyer}, key retry-1): paid, but no request in the log asked for it`] });
    await query(`DELETE FROM event_outbox WHERE aggregate_ref = 'ORD-phantom'; DELETE FROM wallet_history WHERE order_no = 'ORD-phantom';
      DELETE FROM settlement WHERE order_no = 'ORD-phantom'; DELETE FROM purchase_line WHERE order_no = 'ORD-phantom'; DELETE FROM purchase WHERE order_no = 'ORD-phantom';
      UPDATE members SET points = points + 200 WHERE member_id = ?; UPDATE goods SET on_hand = on_hand + 2 WHERE sku = 'test-product-1'`, [buyer]);
    await redis.decr(countKey());
    await expectOk();
  });

  it('a top-up nobody asked for is a phantom charge', async () => {
    const [member] = await query("SELECT points FROM members WHERE member_id = 'test-user-75'");
    const before = Number(member!['points']);
    await query(`INSERT INTO wallet_history (member, change_amount, balance_before, balance_after, transaction_id, kind) VALUES ('test-user-75', 1000, ?, ?, 'topup-x', 'TOPUP');
      UPDATE members SET points = points + 1000 WHERE member_id = 'test-user-75'`, [before, before + 1000]);
    const report = await check();
    expect(failing(report)).toEqual(['order.no-phantom-orders']);
    expect(inv(report, 'order.no-phantom-orders').examples).toEqual(['charge topup-x of 1000 to user test-user-75: no request in the log']);
    await query("DELETE FROM wallet_history WHERE transaction_id = 'topup-x'; UPDATE members SET points = points - 1000 WHERE member_id = 'test-user-75'");
    await expectOk();
  });

  it('settlement, ledger and balance that agree on the wrong amount', async () => {
    const order = await plainOrder(40);
    const [no, buyer, before] = [order['order_no'], order['buyer'], Number(order['balance_before'])];
    const set = (amount: number) => query(`UPDATE purchase SET gross = ? WHERE order_no = ?; UPDATE settlement SET charged = ? WHERE order_no = ?;
      UPDATE wallet_history SET change_amount = ?, balance_after = ? WHERE order_no = ?; UPDATE members SET points = ? WHERE member_id = ?`,
    [amount, no, amount, no, -amount, before - amount, no, before - amount, buyer]);
    await set(300);
    const report = await check();
    expect(failing(report)).toEqual(['order.charge-equals-order']);
    expect(inv(report, 'order.charge-equals-order').examples).toEqual([`order ${no}: lines at price 500 − discount 0 = 500; order says 300 − 0 = 300, payment 300`]);
    await set(ORDER_TOTAL);
    await expectOk();
  });

  it('promo use must agree both ways', async () => {
    const [holder] = await query(`SELECT p.order_no, p.buyer, h.balance_before FROM purchase p JOIN promo_claim c ON c.member_id = p.buyer AND c.spent_on IS NULL
      JOIN wallet_history h ON h.order_no = p.order_no WHERE p.promo_code IS NULL ORDER BY c.seq LIMIT 1`);
    const [no, buyer, before] = [holder!['order_no'], holder!['buyer'], Number(holder!['balance_before'])];
    const price = (off: number, promo: string | null) => query(`UPDATE purchase SET promo_code = ?, promo_off = ? WHERE order_no = ?;
      UPDATE settlement SET charged = ? WHERE order_no = ?; UPDATE wallet_history SET change_amount = ?, balance_after = ? WHERE order_no = ?;
      UPDATE members SET points = ? WHERE member_id = ?`, [promo, off, no, ORDER_TOTAL - off, no, off - ORDER_TOTAL, before - ORDER_TOTAL + off, no, before - ORDER_TOTAL + off, buyer]);
    // The order spends the holder's promo (discount 100) but the promo is not marked spent.
    await price(100, 'test-coupon-2');
    let report = await check();
    expect(failing(report)).toEqual(['order.coupon-use-consistent']);
    expect(inv(report, 'order.coupon-use-consistent').examples).toEqual([`order ${no}: spent coupon test-coupon-2 of user ${buyer}, marked used by no order`]);
    await query("UPDATE promo_claim SET spent_on = ? WHERE member_id = ? AND promo_code = 'test-coupon-2'", [no, buyer]);
    await expectOk();
    // The other way: another holder's promo marked spent by an order that is not theirs.
    const [other] = await query("SELECT member_id FROM promo_claim WHERE promo_code = 'test-coupon-2' AND spent_on IS NULL AND member_id <> ? ORDER BY seq LIMIT 1", [buyer]);
    await query("UPDATE promo_claim SET spent_on = ? WHERE member_id = ? AND promo_code = 'test-coupon-2'", [no, other!['member_id']]);
    report = await check();
    expect(failing(report)).toEqual(['order.coupon-use-consistent']);
    expect(inv(report, 'order.coupon-use-consistent').examples).toEqual([
      `coupon test-coupon-2 of user ${other!['member_id']}: marked used by order ${no}, which is COMPLETED, user ${buyer}, coupon test-coupon-2`]);
    await query("UPDATE promo_claim SET spent_on = NULL WHERE spent_on = ? AND promo_code = 'test-coupon-2'", [no]);
    await price(0, null);
    await expectOk();
  });

  it('a ledger row whose balance_after breaks the chain', async () => {
    const order = await plainOrder(50);
    const tx = (await query('SELECT transaction_id FROM wallet_history WHERE hist_id = ?', [order['hist_id']]))[0]!['transaction_id'];
    await query('UPDATE wallet_history SET balance_after = balance_after - 100 WHERE hist_id = ?', [order['hist_id']]);
    const report = await check();
    // The sums still agree: only the chain sees it.
    expect(failing(report)).toEqual(['order.ledger-chain']);
    expect(inv(report, 'order.ledger-chain')).toMatchObject({ violations: 2, examples: [
      `user ${order['buyer']} ${tx}: before 1000 but after 400 − amount -500, previous after 1000 (seeded)`,
      `user ${order['buyer']}: last ledger row ${tx} leaves 400, balance is 500`,
    ] });
    await query('UPDATE wallet_history SET balance_after = balance_after + 100 WHERE hist_id = ?', [order['hist_id']]);
    await expectOk();
  });

  it('an event marked published that Kafka never received', async () => {
    await query("INSERT INTO event_outbox (aggregate_ref, event_name, body, published_at) VALUES ('ORD-ghost', 'PurchaseShipped', '{}', NOW(3))");
    const [{ id }] = await query('SELECT MAX(event_id) AS id FROM event_outbox') as [{ id: number }];
    const report = await check();
    // ORD-ghost does not exist either: the mapped reference check names the dangling event too.
    expect(failing(report).sort()).toEqual(['order.references-intact', 'order.sent-events-on-kafka']);
    expect(inv(report, 'order.sent-events-on-kafka').examples).toEqual([`event ${id} (PurchaseShipped of ORD-ghost): marked sent, not on ${topic}`]);
    expect(inv(report, 'order.references-intact').examples).toEqual([`outbox event ${id}: PurchaseShipped of order ORD-ghost: no such order`]);
    await query('DELETE FROM event_outbox WHERE event_id = ?', [id]);
    await expectOk();
  });

  it('negative stock, a balance changed without a ledger row, a balance past the exact range', async () => {
    await query("UPDATE goods SET on_hand = -3 WHERE sku = 'test-product-3'");
    let report = await check();
    expect(inv(report, 'order.no-negative-stock')).toMatchObject({ status: 'violated', examples: ['product test-product-3: -3'] });
    expect(inv(report, 'order.stock-conservation')).toMatchObject({ status: 'violated', violations: 13 });
    // A user who bought nothing (the last ones found product 2 sold out) still has the seeded 1000 and no ledger.
    const [idle] = await query('SELECT member_id FROM members WHERE points = 1000 AND member_id NOT IN (SELECT member FROM wallet_history) ORDER BY member_id LIMIT 1');
    const user = idle!['member_id'];
    await query("UPDATE goods SET on_hand = 10 WHERE sku = 'test-product-3'; UPDATE members SET points = points + 500 WHERE member_id = ?", [user]);
    report = await check();
    expect(inv(report, 'order.balance-drift')).toMatchObject({ status: 'violated', violations: 1, examples: [`user ${user}: balance 1500, ledger says 1000`] });
    await query('UPDATE members SET points = 9007199254740993 WHERE member_id = ?', [user]);
    report = await check();
    expect(inv(report, 'order.amounts-exact')).toMatchObject({ status: 'violated', violations: 1, examples: [`members ${user}: points 9007199254740993`] });
    await query('UPDATE members SET points = 1000 WHERE member_id = ?', [user]);
    await expectOk();
  });

  it('an acknowledged order deleted, and a refused one that was paid anyway', async () => {
    const order = await plainOrder(60);
    const no = order['order_no'];
    const saved = await Promise.all(['purchase', 'purchase_line', 'settlement', 'wallet_history'].map(async (t) => [t, await query(`SELECT * FROM ${t} WHERE order_no = ?`, [no])] as const));
    await query(`DELETE FROM wallet_history WHERE order_no = ?; DELETE FROM settlement WHERE order_no = ?; DELETE FROM purchase_line WHERE order_no = ?;
      DELETE FROM purchase WHERE order_no = ?; UPDATE members SET points = 1000 WHERE member_id = ?;
      UPDATE goods SET on_hand = on_hand + 2 WHERE sku = 'test-product-1'; UPDATE goods SET on_hand = on_hand + 1 WHERE sku = 'test-product-2'`, [no, no, no, no, order['buyer']]);
    let report = await check();
    expect(inv(report, 'order.acknowledged-persisted')).toMatchObject({ status: 'violated', violations: 1, examples: [`order ${no} (user ${order['buyer']}): missing`] });
    for (const [table, rows] of saved) for (const row of rows) await query(`INSERT INTO ${table} SET ?`, [row]);
    await query(`UPDATE members SET points = 500 WHERE member_id = ?; UPDATE goods SET on_hand = on_hand - 2 WHERE sku = 'test-product-1';
      UPDATE goods SET on_hand = on_hand - 1 WHERE sku = 'test-product-2'`, [order['buyer']]);
    await expectOk();
    // A refused order (insufficient points) that took effect anyway, under its own transaction id.
    const refused = /outcome=fail user=(test-user-2\d) status=400 reason=INSUFFICIENT_POINTS key=(\S+)/.exec(readFileSync(path.join(runDir, 'operations.log'), 'utf8'))!;
    // The contract sends `transactionId: 'tx-{key}'`: the service stores the key so, and the audit looks for it so.
    await query("INSERT INTO purchase VALUES ('ORD-refused', ?, 'COMPLETED', 0, NULL, 0, ?)", [refused[1], `tx-${refused[2]}`]);
    report = await check();
    expect(inv(report, 'order.acknowledged-persisted')).toMatchObject({ status: 'violated', examples: [`order ORD-refused: paid although its request (user ${refused[1]}) was refused`] });
    await query("DELETE FROM purchase WHERE order_no = 'ORD-refused'");
    await expectOk();
  });

  it('user-declared Redis checks compare a key, or a key per coupon, with SQL, reported like the built-ins', async () => {
    let report = await check();
    expect(inv(report, 'user.shop.purchase-count')).toMatchObject({ status: 'ok', meaning: REDIS_CHECKS[0]!.meaning });
    expect(inv(report, 'user.promo.members-match-claims')).toMatchObject({ status: 'ok' });
    await redis.incr(countKey());
    report = await check();
    // No built-in knows this key: only the user's check sees it.
    expect(failing(report)).toEqual(['user.shop.purchase-count']);
    expect(inv(report, 'user.shop.purchase-count')).toMatchObject({ violations: 1, examples: [`GET ${countKey()} = ${PRODUCT_2_STOCK + 1}, SQL says ${PRODUCT_2_STOCK}`] });
    await redis.decr(countKey());
    const members = `${db.config.redisKeyPrefix}fcfs:test-coupon-2:members`;
    await redis.srem(members, 'test-user-3');
    report = await check();
    expect(inv(report, 'user.promo.members-match-claims')).toMatchObject({ status: 'violated', examples: [`coupon test-coupon-2: SCARD ${members} = 9, SQL says 10`] });
    await redis.sadd(members, 'test-user-3');
    await expectOk();
  });

  it('a Redis key pattern that matches nothing after seeding is refused before any load, naming the pattern', async () => {
    const typo = { ...config, schema: parseSchemaMap({ ...(declared.schema as object), redis: { issuedSet: 'fcfs:{coupon}:member', stock: null, soldOut: null } }) };
    const dir = mkdtempSync(path.join(tmpdir(), 'perf-lab-foreign-typo-'));
    const [{ n }] = await query('SELECT COUNT(*) AS n FROM purchase') as [{ n: number }];
    const attempt = runScenario(typo, { scenario: 'order', profile: 'sequential', overrides: { scale: 0.04, vus: 2 }, runsDir: dir });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/schema\.redis\.issuedSet: the pattern "fcfs:\{coupon\}:member" matches no key after seeding \(looked for \S+fcfs:test-coupon-2:member\)/);
    expect(readdirSync(dir)).toEqual([]);
    expect((await query('SELECT COUNT(*) AS n FROM purchase'))[0]!['n']).toBe(n);
  });
});
