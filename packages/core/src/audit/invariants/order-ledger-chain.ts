import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';

/**
 * The ledger is a continuous chain per user: each row's balance before (balance_after −
 * amount) is the previous row's balance_after — the seeded balance for a seeded user's first
 * row — and the last balance_after is the user's balance now. Sums can agree while a row in
 * the middle was rewritten; the chain cannot. Rows of one user are ordered by id: each is
 * written while the transaction holds that user's row lock, so ids follow the balance.
 */
export const orderLedgerChain: Invariant = {
  name: 'order.ledger-chain',
  meaning: "each user's ledger rows chain (balance before = previous balance after) and the last balance after is the balance",
  system: 'order',
  async check(ctx) {
    if (!ctx.tables.has('balance_history')) return notApplicable('no balance_history table');
    const { firstUser, lastUser, initialBalance } = ctx.manifest.balanceRule;
    const broken = await rows(ctx.mysql,
      `SELECT user_id, id, transaction_id, amount, balance_after, prev FROM (
         SELECT user_id, id, transaction_id, amount, balance_after,
                LAG(balance_after) OVER (PARTITION BY user_id ORDER BY id) AS prev
         FROM balance_history) h
       WHERE (prev IS NULL AND user_id BETWEEN ? AND ? AND balance_after - amount <> ?)
          OR (prev IS NOT NULL AND balance_after - amount <> prev)
       ORDER BY user_id, id`, [firstUser, lastUser, initialBalance]);
    const lastOff = await rows(ctx.mysql,
      `SELECT h.user_id, h.transaction_id, h.balance_after, u.balance FROM balance_history h
       JOIN (SELECT user_id, MAX(id) AS id FROM balance_history GROUP BY user_id) l ON l.id = h.id
       JOIN users u ON u.id = h.user_id
       WHERE u.balance <> h.balance_after ORDER BY h.user_id`);
    return verdict(broken.length + lastOff.length, [
      ...broken.map((r) => `user ${r['user_id']} ${r['transaction_id']}: before ${Number(r['balance_after']) - Number(r['amount'])}, ` +
        `previous after ${r['prev'] ?? `${initialBalance} (seeded)`}`),
      ...lastOff.map((r) => `user ${r['user_id']}: last ledger row ${r['transaction_id']} leaves ${r['balance_after']}, balance is ${r['balance']}`),
    ]);
  },
};
