import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';

/**
 * The foreign service's purchases: `POST /v1/purchases` with `{buyer, transactionId, lines,
 * promoCode?}`, answered 200 `{data: {orderNo, charged}}` or 400 `{errorCode}`. Order numbers are
 * text (`ORD-3f9a…`), there is no paid column (paid = gross − promo_off) and no unit price on a
 * line (the price is the goods'), the ledger keeps before and after and a kind, and the outbox
 * row is published by a relay with its id inside the JSON value. A replayed transactionId
 * answers the purchase it made.
 */
export const FOREIGN_ORDER_SCHEMA_SQL = `
  CREATE TABLE IF NOT EXISTS goods (sku VARCHAR(40) PRIMARY KEY, unit_cost BIGINT NOT NULL, on_hand INT NOT NULL);
  CREATE TABLE IF NOT EXISTS purchase (order_no VARCHAR(40) PRIMARY KEY, buyer VARCHAR(40) NOT NULL, state VARCHAR(16) NOT NULL,
    gross BIGINT NOT NULL, promo_code VARCHAR(40) NULL, promo_off BIGINT NOT NULL DEFAULT 0, tx_ref VARCHAR(100) NOT NULL,
    UNIQUE KEY uq_purchase_tx (buyer, tx_ref));
  CREATE TABLE IF NOT EXISTS purchase_line (line_no BIGINT AUTO_INCREMENT PRIMARY KEY, order_no VARCHAR(40) NOT NULL, sku VARCHAR(40) NOT NULL, qty INT NOT NULL);
  CREATE TABLE IF NOT EXISTS settlement (settle_id BIGINT AUTO_INCREMENT PRIMARY KEY, order_no VARCHAR(40) NOT NULL, charged BIGINT NOT NULL,
    tx_ref VARCHAR(100) NOT NULL, UNIQUE KEY uq_settlement_order (order_no));
  CREATE TABLE IF NOT EXISTS wallet_history (hist_id BIGINT AUTO_INCREMENT PRIMARY KEY, member VARCHAR(40) NOT NULL, change_amount BIGINT NOT NULL,
    balance_before BIGINT NOT NULL, balance_after BIGINT NOT NULL, transaction_id VARCHAR(100) NOT NULL, kind VARCHAR(8) NOT NULL,
    order_no VARCHAR(40) NULL, UNIQUE KEY uq_wallet_tx (transaction_id));
  CREATE TABLE IF NOT EXISTS event_outbox (event_id BIGINT AUTO_INCREMENT PRIMARY KEY, aggregate_ref VARCHAR(40) NOT NULL, event_name VARCHAR(40) NOT NULL,
    body JSON NOT NULL, published_at DATETIME(3) NULL);`;

type Answer = [number, object];
/** An answer, and whether it placed a new purchase (a replay answers without one). */
type Placed = [number, object, boolean?];
type Line = { sku: string; qty: number };

function parseLines(value: unknown): Line[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const lines = value.map((l: unknown) => l as Partial<Line>);
  if (lines.some((l) => typeof l.sku !== 'string' || !Number.isInteger(l.qty) || (l.qty ?? 0) < 1)) return undefined;
  return lines as Line[];
}

/** `counted` runs after a new purchase committed: the service keeps a Redis count of them (a user's Redis check reads it). */
export async function purchase(pool: mysql.Pool, body: Record<string, unknown> | undefined, counted: () => Promise<unknown>): Promise<Answer> {
  const { buyer, transactionId, promoCode } = body ?? {};
  const lines = parseLines(body?.['lines']);
  if (typeof buyer !== 'string' || typeof transactionId !== 'string' || !lines || (promoCode !== undefined && typeof promoCode !== 'string')) {
    return [400, { errorCode: 'BAD_REQUEST' }];
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const [status, answer, placed] = await inTransaction(pool, (conn) => place(conn, buyer, transactionId, lines, promoCode));
      if (placed) await counted();
      return [status, answer];
    } catch (err) {
      // Two purchases locking goods in turn may deadlock; the loser is retried, as a real service would.
      if ((err as { code?: string }).code !== 'ER_LOCK_DEADLOCK' || attempt >= 3) throw err;
    }
  }
}

async function inTransaction(pool: mysql.Pool, work: (conn: mysql.PoolConnection) => Promise<Placed>): Promise<Placed> {
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    const answer = await work(conn);
    await (answer[0] === 200 ? conn.commit() : conn.rollback());
    return answer;
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}

async function place(conn: mysql.PoolConnection, buyer: string, tx: string, lines: Line[], promoCode: string | undefined): Promise<Placed> {
  const one = async (sql: string, params: unknown[]) => (await conn.query<mysql.RowDataPacket[]>(sql, params))[0][0];
  const member = await one('SELECT points FROM members WHERE member_id = ? FOR UPDATE', [buyer]);
  if (!member) return [400, { errorCode: 'NO_SUCH_MEMBER' }];
  const replay = await one('SELECT p.order_no, s.charged FROM purchase p JOIN settlement s ON s.order_no = p.order_no WHERE p.buyer = ? AND p.tx_ref = ?', [buyer, tx]);
  if (replay) return [200, { data: { orderNo: replay['order_no'], charged: Number(replay['charged']) } }];
  let gross = 0;
  // Goods rows are locked in sku order, so two purchases never wait on each other in a circle.
  for (const line of [...lines].sort((a, b) => a.sku.localeCompare(b.sku))) {
    const goods = await one('SELECT unit_cost, on_hand FROM goods WHERE sku = ? FOR UPDATE', [line.sku]);
    if (!goods) return [400, { errorCode: 'NO_SUCH_GOODS' }];
    if (Number(goods['on_hand']) < line.qty) return [400, { errorCode: 'OUT_OF_STOCK' }];
    gross += line.qty * Number(goods['unit_cost']);
  }
  let off = 0;
  if (promoCode !== undefined) {
    const held = await one(`SELECT c.seq, p.discount FROM promo_claim c JOIN promo p ON p.code = c.promo_code
      WHERE c.member_id = ? AND c.promo_code = ? AND c.spent_on IS NULL FOR UPDATE`, [buyer, promoCode]);
    if (!held) return [400, { errorCode: 'PROMO_INVALID' }];
    off = Math.min(gross, Number(held['discount']));
  }
  const charged = gross - off;
  const before = Number(member['points']);
  if (before < charged) return [400, { errorCode: 'INSUFFICIENT_POINTS' }];
  const orderNo = `ORD-${randomBytes(6).toString('hex')}`;
  await conn.query("INSERT INTO purchase (order_no, buyer, state, gross, promo_code, promo_off, tx_ref) VALUES (?, ?, 'COMPLETED', ?, ?, ?, ?)",
    [orderNo, buyer, gross, promoCode ?? null, off, tx]);
  for (const line of lines) {
    await conn.query('INSERT INTO purchase_line (order_no, sku, qty) VALUES (?, ?, ?)', [orderNo, line.sku, line.qty]);
    await conn.query('UPDATE goods SET on_hand = on_hand - ? WHERE sku = ?', [line.qty, line.sku]);
  }
  if (promoCode !== undefined) await conn.query('UPDATE promo_claim SET spent_on = ? WHERE member_id = ? AND promo_code = ?', [orderNo, buyer, promoCode]);
  await conn.query('UPDATE members SET points = points - ? WHERE member_id = ?', [charged, buyer]);
  await conn.query('INSERT INTO settlement (order_no, charged, tx_ref) VALUES (?, ?, ?)', [orderNo, charged, tx]);
  await conn.query("INSERT INTO wallet_history (member, change_amount, balance_before, balance_after, transaction_id, kind, order_no) VALUES (?, ?, ?, ?, ?, 'DEBIT', ?)",
    [buyer, -charged, before, before - charged, tx, orderNo]);
  await conn.query("INSERT INTO event_outbox (aggregate_ref, event_name, body) VALUES (?, 'PurchaseCompleted', ?)",
    [orderNo, JSON.stringify({ orderNo, buyer, charged })]);
  return [200, { data: { orderNo, charged } }, true];
}

/** A member's promos: `{data: [{code, spentOn}]}`, what the order scenario picks a coupon from. */
export async function memberPromos(pool: mysql.Pool, member: string): Promise<Answer> {
  const [found] = await pool.query<mysql.RowDataPacket[]>('SELECT promo_code, spent_on FROM promo_claim WHERE member_id = ? ORDER BY seq', [member]);
  return [200, { data: found.map((r) => ({ code: r['promo_code'], spentOn: r['spent_on'] })) }];
}
