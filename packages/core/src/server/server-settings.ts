import type mysql from 'mysql2/promise';
import { CART_ITEMS_CART_ID_INDEX, SERVER_SETTINGS, TABLES, type CartIndexState, type ServerSettingSpec } from '@perf-lab/contract';
import { ConfigError } from '../errors.ts';

/**
 * Turns `--set`/`--a`/`--b` KEY=VALUE pairs into the server's environment, by the contract's
 * settings table; `cart-index` has no env name because it is a fact of the database.
 */
const SETTINGS: Readonly<Record<string, ServerSettingSpec>> = SERVER_SETTINGS;

export interface ParsedSettings {
  /** REF_* environment for the server process. */
  readonly env: Readonly<Record<string, string>>;
  readonly cartIndex: CartIndexState | undefined;
  /** Reference-server processes to start (`instances=N`); 1 unless set. */
  readonly instances: number;
  /** As the user wrote them, for reports. */
  readonly label: string;
}

export function parseSettings(pairs: readonly string[]): ParsedSettings {
  const env: Record<string, string> = {};
  let cartIndex: CartIndexState | undefined;
  let instances = 1;
  for (const pair of pairs) {
    const [key, value] = pair.split('=', 2) as [string, string | undefined];
    const spec = Object.prototype.hasOwnProperty.call(SETTINGS, key) ? SETTINGS[key] : undefined;
    if (!spec || value === undefined || value === '') {
      throw new ConfigError(`invalid setting "${pair}" — expected KEY=VALUE with KEY one of ${Object.keys(SETTINGS).join(', ')}`);
    }
    if (spec.values && !spec.values.includes(value)) throw new ConfigError(`invalid ${spec.describe} "${value}" — expected one of ${spec.values.join(', ')}`);
    if (spec.integer && !(Number.isInteger(Number(value)) && Number(value) > 0 && Number(value) <= (spec.max ?? Infinity))) {
      throw new ConfigError(`invalid ${spec.describe} "${value}" — expected a positive integer${spec.max ? ` up to ${spec.max}` : ''}`);
    }
    if (spec.env) env[spec.env] = value;
    else if (key === 'instances') instances = Number(value);
    else cartIndex = value as CartIndexState;
  }
  return { env, cartIndex, instances, label: pairs.join(', ') || 'defaults' };
}

const CART_INDEX = CART_ITEMS_CART_ID_INDEX;

/** Drops or creates the cart index; a no-op when it is already as asked. */
export async function applyCartIndex(pool: mysql.Pool, want: CartIndexState): Promise<void> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(
    'SELECT COUNT(*) AS n FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?',
    [TABLES.cartItems, CART_INDEX]);
  const present = Number(rows[0]?.['n'] ?? 0) > 0;
  if (want === 'off' && present) await pool.query(`DROP INDEX ${CART_INDEX} ON ${TABLES.cartItems}`);
  if (want === 'on' && !present) await pool.query(`CREATE INDEX ${CART_INDEX} ON ${TABLES.cartItems} (cart_id)`);
}
