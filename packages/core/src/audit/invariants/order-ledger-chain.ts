import { sqlId } from '../check-declarations.ts';
import { notApplicable, rows, verdict, type Invariant } from '../invariant.ts';
import { seededBalances, signedAmount } from '../mapped-sql.ts';

/**
 * The ledger is a continuous chain per user: each row's balance before (balance after −
 * amount, or the recorded before where the ledger keeps one) is the previous row's balance
 * after — the seeded balance for a seeded user's first row — and the last balance after is the
 * user's balance now. Sums can agree while a row in the middle was rewritten; the chain cannot.
 * Rows of one user are ordered by id: each is written while the transaction holds that user's
 * row lock, so ids follow the balance.
 */
export const orderLedgerChain: Invariant = {
  name: 'order.ledger-chain',
  meaning: "each user's ledger rows chain (balance before = previous balance after) and the last balance after is the balance",
  system: 'order',
  mapped: true,
  async check(ctx) {
    const { ledger: l, users: u } = ctx.schema;
    if (!l || !u || !ctx.tables.has(l.table) || !ctx.tables.has(u.table)) return notApplicable('no ledger or users table declared or present');
    const { firstUser, lastUser, initialBalance } = ctx.manifest.balanceRule;
    const [id, user, after, table] = [sqlId(l.id), sqlId(l.userId), sqlId(l.balanceAfter), sqlId(l.table)];
    const firstRow = ctx.schema.reference ? 'user_id BETWEEN ? AND ? AND ' : '';
    const t = (column: string) => `t.${column}`;
    const signed = signedAmount(l, 't');
    // The recorded before, when there is one, must also agree with after − amount.
    const tBefore = l.balanceBefore === null ? `${t(after)} - ${signed}` : t(sqlId(l.balanceBefore));
    const broken = await rows(ctx.mysql,
      `SELECT user_id, id, transaction_id, amount, balance_after, balance_before, prev, initial FROM (
         SELECT ${t(user)} AS user_id, ${t(id)} AS id, ${t(sqlId(l.transactionId))} AS transaction_id, ${signed} AS amount,
                ${t(after)} AS balance_after, ${tBefore} AS balance_before,
                LAG(${t(after)}) OVER (PARTITION BY ${t(user)} ORDER BY ${t(id)}) AS prev, COALESCE(s.initial, ?) AS initial
         FROM ${table} t LEFT JOIN ${seededBalances(ctx.manifest)} s ON s.id = ${t(user)}) h
       WHERE (prev IS NULL AND ${firstRow}balance_before <> initial)
          OR (prev IS NOT NULL AND balance_before <> prev)
          OR balance_before <> balance_after - amount
       ORDER BY user_id, id`, ctx.schema.reference ? [initialBalance, firstUser, lastUser] : [initialBalance]);
    const lastOff = await rows(ctx.mysql,
      `SELECT h.${user} AS user_id, h.${sqlId(l.transactionId)} AS transaction_id, h.${after} AS balance_after, u.${sqlId(u.balance)} AS balance
       FROM ${table} h
       JOIN (SELECT ${user} AS user_id, MAX(${id}) AS id FROM ${table} GROUP BY ${user}) last ON last.id = h.${id} AND last.user_id = h.${user}
       JOIN ${sqlId(u.table)} u ON u.${sqlId(u.id)} = h.${user}
       WHERE u.${sqlId(u.balance)} <> h.${after} ORDER BY h.${user}`);
    return verdict(broken.length + lastOff.length, [
      ...broken.map((r) => `user ${r['user_id']} ${r['transaction_id']}: before ${r['balance_before']}` +
        (Number(r['balance_before']) !== Number(r['balance_after']) - Number(r['amount']) ? ` but after ${r['balance_after']} − amount ${r['amount']}` : '') +
        `, previous after ${r['prev'] ?? `${r['initial']} (seeded)`}`),
      ...lastOff.map((r) => `user ${r['user_id']}: last ledger row ${r['transaction_id']} leaves ${r['balance_after']}, balance is ${r['balance']}`),
    ]);
  },
};
