import { describe, expect, it } from 'vitest';
import type { PerfLabConfig } from '../src/config/config.ts';
import { parseSchemaMap } from '../src/config/schema-map.ts';
import { parseUserInvariants } from '../src/config/user-invariants.ts';
import { audit } from '../src/audit/audit.ts';
import { ConfigError } from '../src/errors.ts';
import { inv, useAuditFixture } from './audit-fixture.ts';

/**
 * The audit on a schema it did not write: a string-id wallet with a before/after ledger under
 * other names, declared as data; the built-in checks run on the declaration, a user's own
 * invariant runs beside them, and a declaration that does not fit the database is refused.
 */
const WALLET = {
  users: { table: 'members', id: 'member_id', balance: 'points' },
  ledger: { table: 'wallet_ledger', id: 'seq', userId: 'member', amount: 'delta', balanceAfter: 'after_amt', balanceBefore: 'before_amt', transactionId: 'tx' },
};
const PAYMENTS_SETTLED = { name: 'payment.settled', meaning: 'every payment is settled (PAID)', sql: "SELECT id, order_id, status FROM payments WHERE status <> 'PAID'" };

describe('audit through a declared schema', () => {
  const f = useAuditFixture('declared');
  const configWith = (schema: unknown, invariants: unknown = []): PerfLabConfig =>
    ({ ...f.db.config, schema: parseSchemaMap(schema), invariants: parseUserInvariants(invariants) });
  const run = (config: PerfLabConfig) => audit(config, { runDir: f.runDir, drainTimeoutMs: 2000, queryTimeoutMs: 5000 });

  async function wallet(): Promise<number> {
    const [[rule]] = await f.conn.query('SELECT MAX(balance) AS initial FROM users WHERE id > 1') as unknown as [[{ initial: number }]];
    const initial = Number(rule.initial);
    await f.conn.query(`
      CREATE TABLE IF NOT EXISTS members (member_id VARCHAR(40) PRIMARY KEY, points BIGINT NOT NULL);
      CREATE TABLE IF NOT EXISTS wallet_ledger (seq BIGINT AUTO_INCREMENT PRIMARY KEY, member VARCHAR(40) NOT NULL, delta BIGINT NOT NULL,
        before_amt BIGINT NOT NULL, after_amt BIGINT NOT NULL, tx VARCHAR(64) NOT NULL);
      DELETE FROM members; DELETE FROM wallet_ledger;`);
    await f.conn.query('INSERT INTO members VALUES (?, ?), (?, ?)', ['test-user-1', initial - 300, 'test-user-2', initial]);
    await f.conn.query('INSERT INTO wallet_ledger (member, delta, before_amt, after_amt, tx) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)',
      ['test-user-1', -100, initial, initial - 100, 'tx-1', 'test-user-1', -200, initial - 100, initial - 300, 'tx-2']);
    return initial;
  }

  it('runs the built-ins on the declared tables and skips, saying why, those over concepts it does not declare', async () => {
    await wallet();
    const report = await run(configWith(WALLET));
    expect(inv(report, 'order.ledger-chain')).toMatchObject({ status: 'ok', ok: true });
    expect(inv(report, 'order.balance-drift')).toMatchObject({ status: 'ok' });
    expect(inv(report, 'order.ledger-transaction-unique')).toMatchObject({ status: 'ok' });
    expect(inv(report, 'order.payments-match-ledger')).toMatchObject({ status: 'not-applicable', skipped: 'no payments or ledger declared or present' });
    expect(report.verdict, JSON.stringify(report.invariants.filter((i) => i.status !== 'ok' && i.status !== 'not-applicable'))).toBe('ok');
  });

  it('flags a rewritten before/after ledger row on the declared ledger', async () => {
    const initial = await wallet();
    await f.conn.query("UPDATE wallet_ledger SET before_amt = before_amt + 7 WHERE tx = 'tx-2'");
    const report = await run(configWith(WALLET));
    expect(inv(report, 'order.ledger-chain')).toMatchObject({
      ok: false, violations: 1,
      examples: [`user test-user-1 tx-2: before ${initial - 93} but after ${initial - 300} − amount -200, previous after ${initial - 100}`],
    });
    await f.conn.query("UPDATE members SET points = points + 50 WHERE member_id = 'test-user-2'");
    expect(inv(await run(configWith(WALLET)), 'order.balance-drift')).toMatchObject({ ok: false, examples: [`user test-user-2: balance ${initial + 50}, ledger says ${initial}`] });
  });

  it('reads a ledger of positive amounts whose type says which way each goes', async () => {
    const initial = await wallet();
    await f.conn.query(`CREATE TABLE IF NOT EXISTS points_log (seq BIGINT AUTO_INCREMENT PRIMARY KEY, member VARCHAR(40) NOT NULL, amt BIGINT NOT NULL,
        before_amt BIGINT NOT NULL, after_amt BIGINT NOT NULL, tx VARCHAR(64) NOT NULL, kind VARCHAR(8) NOT NULL);
      DELETE FROM points_log; UPDATE members SET points = points + 50 WHERE member_id = 'test-user-2';
      INSERT INTO points_log (member, amt, before_amt, after_amt, tx, kind) VALUES
        ('test-user-1', 100, ${initial}, ${initial - 100}, 'tx-1', 'USE'), ('test-user-1', 200, ${initial - 100}, ${initial - 300}, 'tx-2', 'USE'),
        ('test-user-2', 50, ${initial}, ${initial + 50}, 'tx-3', 'SAVE')`);
    const positive = configWith({ ...WALLET, ledger: { table: 'points_log', id: 'seq', userId: 'member', amount: 'amt', amountSign: 'positive',
      balanceAfter: 'after_amt', balanceBefore: 'before_amt', transactionId: 'tx', type: 'kind', paymentType: 'USE', chargeType: 'SAVE' } });
    let report = await run(positive);
    expect(inv(report, 'order.ledger-chain')).toMatchObject({ status: 'ok' });
    expect(inv(report, 'order.balance-drift')).toMatchObject({ status: 'ok' });
    await f.conn.query("UPDATE points_log SET amt = 250 WHERE tx = 'tx-2'");
    report = await run(positive);
    expect(inv(report, 'order.ledger-chain')).toMatchObject({ status: 'violated',
      examples: [`user test-user-1 tx-2: before ${initial - 100} but after ${initial - 300} − amount -250, previous after ${initial - 100}`] });
    expect(inv(report, 'order.balance-drift')).toMatchObject({ status: 'violated', examples: [`user test-user-1: balance ${initial - 300}, ledger says ${initial - 350}`] });
    expect(() => parseSchemaMap({ ledger: { amountSign: 'positive' } })).toThrow(/schema\.ledger\.type: a ledger of positive amounts needs the type column/);
  });

  it('a user-declared invariant catches what no built-in sees, reported alike', async () => {
    const config = configWith(undefined, [PAYMENTS_SETTLED]);
    expect(inv(await run(config), 'user.payment.settled')).toMatchObject({ status: 'ok', meaning: PAYMENTS_SETTLED.meaning });
    await f.conn.query("UPDATE payments SET status = 'FAILED' WHERE order_id = 1");
    const report = await run(config);
    expect(inv(report, 'user.payment.settled')).toMatchObject({ status: 'violated', violations: 1, examples: [expect.stringMatching(/order_id=1 status=FAILED/)] });
    // The built-ins alone call this state ok: only the user's invariant sees it.
    expect(report.invariants.filter((i) => !i.ok).map((i) => i.name)).toEqual(['user.payment.settled']);
  });

  it('refuses a declaration that does not fit the database, naming the exact place', async () => {
    await wallet();
    const wrongColumn = configWith({ ...WALLET, ledger: { ...WALLET.ledger, balanceAfter: 'after_amount' } });
    await expect(run(wrongColumn)).rejects.toThrow(/schema\.ledger\.balanceAfter: no column "after_amount" in table wallet_ledger/);
    await expect(run(configWith({ products: { table: 'goods' } }))).rejects.toThrow(/schema\.products\.table: no table "goods"/);
    const badSql = configWith(undefined, [{ ...PAYMENTS_SETTLED, sql: 'SELECT id FROM payment WHERE status <> 1' }]);
    await expect(run(badSql)).rejects.toThrow(/invariants\[0\]\.sql \(user\.payment\.settled\): does not prepare/);
    await expect(run(badSql)).rejects.toBeInstanceOf(ConfigError);
  });
});
