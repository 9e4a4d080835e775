/**
 * The reference server's MySQL tables (created by its migrations) that perf-lab seeds,
 * truncates and audits. Keys are what code says; values are the names in the schema.
 */
export const TABLES = {
  users: 'users',
  coupons: 'coupons',
  userCoupons: 'user_coupons',
  couponIssueRejections: 'coupon_issue_rejections',
  naiveUserCoupons: 'naive_user_coupons',
  products: 'products',
  carts: 'carts',
  cartItems: 'cart_items',
  orders: 'orders',
  orderItems: 'order_items',
  payments: 'payments',
  balanceHistory: 'balance_history',
  outboxEvents: 'outbox_events',
} as const;
export type TableName = (typeof TABLES)[keyof typeof TABLES];

/** The index the `cart-index` setting drops and re-creates (migration 012). */
export const CART_ITEMS_CART_ID_INDEX = 'idx_cart_items_cart_id';
