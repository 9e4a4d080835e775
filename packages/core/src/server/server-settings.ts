import type mysql from 'mysql2/promise';
import { ConfigError } from '../errors.ts';

/**
 * The knobs `compare` and `serve` turn, by short name: each maps to the reference server's
 * environment, except `cart-index`, which is a fact of the database (the seed's 60 ms → 2 ms).
 */
const SETTINGS: Record<string, { env?: string; values?: readonly string[]; integer?: boolean; describe: string }> = {
  strategy: { env: 'REF_COUPON_STRATEGY', values: ['redis-kafka', 'db-only', 'naive'], describe: 'coupon strategy' },
  pool: { env: 'REF_MYSQL_POOL', integer: true, describe: 'MySQL pool size' },
  lock: { env: 'REF_LOCK_SCOPE', values: ['user', 'global', 'none'], describe: 'order lock scope' },
  'cart-index': { values: ['on', 'off'], describe: 'index on cart_items(cart_id)' },
};

export interface ParsedSettings {
  /** REF_* environment for the server process. */
  readonly env: Readonly<Record<string, string>>;
  readonly cartIndex: 'on' | 'off' | undefined;
  /** As the user wrote them, for reports. */
  readonly label: string;
}

export function parseSettings(pairs: readonly string[]): ParsedSettings {
  const env: Record<string, string> = {};
  let cartIndex: 'on' | 'off' | undefined;
  for (const pair of pairs) {
    const [key, value] = pair.split('=', 2) as [string, string | undefined];
    const spec = SETTINGS[key];
    if (!spec || value === undefined || value === '') {
      throw new ConfigError(`invalid setting "${pair}" — expected KEY=VALUE with KEY one of ${Object.keys(SETTINGS).join(', ')}`);
    }
    if (spec.values && !spec.values.includes(value)) throw new ConfigError(`invalid ${spec.describe} "${value}" — expected one of ${spec.values.join(', ')}`);
    if (spec.integer && !(Number.isInteger(Number(value)) && Number(value) > 0)) throw new ConfigError(`invalid ${spec.describe} "${value}" — expected a positive integer`);
    if (spec.env) env[spec.env] = value;
    else cartIndex = value as 'on' | 'off';
  }
  return { env, cartIndex, label: pairs.join(', ') || 'defaults' };
}

const CART_INDEX = 'idx_cart_items_cart_id';

/** Drops or creates the cart index; a no-op when it is already as asked. */
export async function applyCartIndex(pool: mysql.Pool, want: 'on' | 'off'): Promise<void> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(
    'SELECT COUNT(*) AS n FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?',
    ['cart_items', CART_INDEX]);
  const present = Number(rows[0]?.['n'] ?? 0) > 0;
  if (want === 'off' && present) await pool.query(`DROP INDEX ${CART_INDEX} ON cart_items`);
  if (want === 'on' && !present) await pool.query(`CREATE INDEX ${CART_INDEX} ON cart_items (cart_id)`);
}
