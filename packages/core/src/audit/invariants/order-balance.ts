import { TABLES } from '@perf-lab/contract';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';

/**
 * Per user: initial balance + Σ ledger = current balance (a ledger replay), in one set-based
 * query over all users rather than a round trip each.
 */
export const orderBalanceDrift: Invariant = {
  name: 'order.balance-drift',
  meaning: 'every balance equals its initial value plus its ledger (charges − payments)',
  system: 'order',
  async check(ctx) {
    if (!ctx.tables.has(TABLES.balanceHistory)) return notApplicable('no balance_history table');
    const { firstUser, lastUser, initialBalance } = ctx.manifest.balanceRule;
    const drift = await rows(ctx.mysql,
      `SELECT u.id, u.balance, ? + COALESCE(h.total, 0) AS expected
       FROM users u LEFT JOIN (SELECT user_id, SUM(amount) AS total FROM balance_history GROUP BY user_id) h ON h.user_id = u.id
       WHERE u.id BETWEEN ? AND ? AND u.balance <> ? + COALESCE(h.total, 0) ORDER BY u.id`,
      [initialBalance, firstUser, lastUser, initialBalance]);
    const negative = await rows(ctx.mysql, 'SELECT id, balance FROM users WHERE balance < 0 ORDER BY id LIMIT 10');
    return verdict(drift.length + negative.length, [
      ...negative.map((r) => `user ${r['id']}: negative balance ${r['balance']}`),
      ...drift.map((r) => `user ${r['id']}: balance ${r['balance']}, ledger says ${r['expected']}`),
    ]);
  },
};

export const orderLedgerUnique: Invariant = {
  name: 'order.ledger-transaction-unique',
  meaning: 'no ledger transaction_id appears twice (no payment or charge applied twice)',
  system: 'order',
  async check(ctx) {
    if (!ctx.tables.has(TABLES.balanceHistory)) return notApplicable('no balance_history table');
    const dupes = await rows(ctx.mysql,
      'SELECT transaction_id, COUNT(*) AS n FROM balance_history GROUP BY transaction_id HAVING n > 1 ORDER BY transaction_id');
    return verdict(dupes.reduce((s, r) => s + Number(r['n']) - 1, 0), dupes.map((r) => `transaction ${r['transaction_id']} ×${r['n']}`));
  },
};

/** Each payment is mirrored by exactly one ledger debit of the same amount. */
export const orderPaymentsInLedger: Invariant = {
  name: 'order.payments-match-ledger',
  meaning: 'each payment has one ledger debit of the same amount, and each ledger debit a payment',
  system: 'order',
  async check(ctx) {
    if (!ctx.tables.has(TABLES.payments) || !ctx.tables.has(TABLES.balanceHistory)) return notApplicable('no payments/balance_history tables');
    const unmatched = await rows(ctx.mysql,
      `SELECT 'payment' AS side, p.order_id AS id FROM payments p
         LEFT JOIN balance_history h ON h.transaction_id = p.transaction_id AND h.amount = -p.amount AND h.type = 'PAYMENT'
       WHERE h.id IS NULL
       UNION ALL
       SELECT 'ledger', h.transaction_id FROM balance_history h
         LEFT JOIN payments p ON p.transaction_id = h.transaction_id
       WHERE h.type = 'PAYMENT' AND p.id IS NULL`);
    return verdict(unmatched.length, unmatched.map((r) => (r['side'] === 'payment' ? `order ${r['id']}: payment without ledger debit` : `ledger ${r['id']}: debit without payment`)));
  },
};
