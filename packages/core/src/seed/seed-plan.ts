import { ConfigError } from '../errors.ts';

/**
 * What `perf-lab seed` writes. Defaults are the modelled system's test data: 150,000 users
 * with a balance of 1,000,000, one first-come coupon of 100,000, 10 products of 10,000 units
 * at 10,000, and every cart holding products 1, 4 and 7 × 2.
 */
export interface SeedPlan {
  readonly users: number;
  readonly initialBalance: number;
  /** The first-come coupon the coupon scenarios race for (id 1). */
  readonly couponStock: number;
  /**
   * A second coupon (id 2) already held by users 1..n, so order scenarios have coupons to
   * use; 10 % of users by default, the share of orders that carry one.
   */
  readonly orderCouponHolders: number;
  readonly products: number;
  readonly productStock: number;
  readonly productPrice: number;
  readonly cartItems: readonly { readonly productId: number; readonly quantity: number }[];
  /** Keep what is there and add to it, instead of resetting both systems' data first. */
  readonly keep: boolean;
}

export const DEFAULT_SEED_PLAN: SeedPlan = {
  users: 150_000,
  initialBalance: 1_000_000,
  couponStock: 100_000,
  orderCouponHolders: 15_000,
  products: 10,
  productStock: 10_000,
  productPrice: 10_000,
  cartItems: [{ productId: 1, quantity: 2 }, { productId: 4, quantity: 2 }, { productId: 7, quantity: 2 }],
  keep: false,
};

export const FIRST_COME_COUPON_ID = 1;
export const ORDER_COUPON_ID = 2;

export function seedPlan(overrides: Partial<SeedPlan>): SeedPlan {
  const given = dropUndefined(overrides);
  const users = given.users ?? DEFAULT_SEED_PLAN.users;
  // Unless told otherwise, a tenth of the users hold an order coupon, however many users there are.
  const plan = { ...DEFAULT_SEED_PLAN, orderCouponHolders: Math.floor(users / 10), ...given };
  const counts: [keyof SeedPlan, number, number][] = [
    ['users', plan.users, 1], ['initialBalance', plan.initialBalance, 0], ['couponStock', plan.couponStock, 0],
    ['orderCouponHolders', plan.orderCouponHolders, 0], ['products', plan.products, 1],
    ['productStock', plan.productStock, 0], ['productPrice', plan.productPrice, 0],
  ];
  for (const [key, value, min] of counts) {
    if (!Number.isSafeInteger(value) || value < min) throw new ConfigError(`invalid seed ${key}: ${value} — expected an integer ≥ ${min}`);
  }
  if (plan.orderCouponHolders > plan.users) {
    throw new ConfigError(`orderCouponHolders (${plan.orderCouponHolders}) exceeds users (${plan.users})`);
  }
  for (const item of plan.cartItems) {
    if (item.productId < 1 || item.productId > plan.products) {
      throw new ConfigError(`cart item product ${item.productId} is not among the ${plan.products} seeded products`);
    }
  }
  return plan;
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
