import { sqlId } from '../check-declarations.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { ledgerKind, present, seededBalances, signedAmount } from '../mapped-sql.ts';

/**
 * Per user: initial balance + Σ ledger = current balance (a ledger replay), in one set-based
 * query over all users rather than a round trip each.
 */
export const orderBalanceDrift: Invariant = {
  name: 'order.balance-drift',
  meaning: 'every balance equals its initial value plus its ledger (charges − payments)',
  system: 'order',
  mapped: true,
  async check(ctx) {
    const { ledger: l, users: u } = ctx.schema;
    if (!l || !u || !ctx.tables.has(l.table) || !ctx.tables.has(u.table)) return notApplicable('no ledger or users table declared or present');
    const { firstUser, lastUser, initialBalance } = ctx.manifest.balanceRule;
    const [uid, bal] = [sqlId(u.id), sqlId(u.balance)];
    // Seeded users are 1..N by number; a system writing ids as text is judged over all its users.
    const seeded = ctx.schema.reference ? `u.${uid} BETWEEN ? AND ? AND ` : '';
    const drift = await rows(ctx.mysql,
      `SELECT u.${uid} AS id, u.${bal} AS balance, COALESCE(s.initial, ?) + COALESCE(h.total, 0) AS expected
       FROM ${sqlId(u.table)} u LEFT JOIN (SELECT l.${sqlId(l.userId)} AS user_id, SUM(${signedAmount(l, 'l')}) AS total FROM ${sqlId(l.table)} l GROUP BY l.${sqlId(l.userId)}) h
         ON h.user_id = u.${uid}
         LEFT JOIN ${seededBalances(ctx.manifest)} s ON s.id = u.${uid}
       WHERE ${seeded}u.${bal} <> COALESCE(s.initial, ?) + COALESCE(h.total, 0) ORDER BY u.${uid}`,
      ctx.schema.reference ? [initialBalance, firstUser, lastUser, initialBalance] : [initialBalance, initialBalance]);
    const negative = await rows(ctx.mysql, `SELECT ${uid} AS id, ${bal} AS balance FROM ${sqlId(u.table)} WHERE ${bal} < 0 ORDER BY ${uid} LIMIT 10`);
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
  mapped: true,
  async check(ctx) {
    const l = ctx.schema.ledger;
    if (!l || !ctx.tables.has(l.table)) return notApplicable('no ledger table declared or present');
    const tx = sqlId(l.transactionId);
    const dupes = await rows(ctx.mysql,
      `SELECT ${tx} AS transaction_id, COUNT(*) AS n FROM ${sqlId(l.table)} GROUP BY ${tx} HAVING n > 1 ORDER BY ${tx}`);
    return verdict(dupes.reduce((s, r) => s + Number(r['n']) - 1, 0), dupes.map((r) => `transaction ${r['transaction_id']} ×${r['n']}`));
  },
};

/** Each payment is mirrored by exactly one ledger debit of the same amount. */
export const orderPaymentsInLedger: Invariant = {
  name: 'order.payments-match-ledger',
  meaning: 'each payment has one ledger debit of the same amount, and each ledger debit a payment',
  system: 'order',
  mapped: true,
  async check(ctx) {
    const { payments: p, ledger: l } = ctx.schema;
    if (!p || !l || !present(ctx, p, l)) return notApplicable('no payments or ledger declared or present');
    // A payment is tied to its ledger row by the transaction id both keep, else by the order.
    const tie = p.transactionId !== null ? `h.${sqlId(l.transactionId)} = p.${sqlId(p.transactionId)}`
      : l.orderId !== null ? `h.${sqlId(l.orderId)} = p.${sqlId(p.orderId)}` : undefined;
    if (!tie) return notApplicable('the schema ties payments to the ledger by neither payments.transactionId nor ledger.orderId');
    const unmatched = await rows(ctx.mysql,
      `SELECT 'payment' AS side, p.${sqlId(p.orderId)} AS id FROM ${sqlId(p.table)} p
         LEFT JOIN ${sqlId(l.table)} h ON ${tie} AND ${signedAmount(l, 'h')} = -p.${sqlId(p.amount)} AND ${ledgerKind(l, 'h', 'payment')}
       WHERE h.${sqlId(l.id)} IS NULL
       UNION ALL
       SELECT 'ledger', h.${sqlId(l.transactionId)} FROM ${sqlId(l.table)} h
         LEFT JOIN ${sqlId(p.table)} p ON ${tie}
       WHERE ${ledgerKind(l, 'h', 'payment')} AND p.${sqlId(p.id)} IS NULL`);
    return verdict(unmatched.length, unmatched.map((r) => (r['side'] === 'payment' ? `order ${r['id']}: payment without ledger debit` : `ledger ${r['id']}: debit without payment`)));
  },
};
