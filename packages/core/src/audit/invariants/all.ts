import type { Invariant } from '../invariant.ts';
import { amountsExact } from './amounts-exact.ts';
import { couponAcknowledgedPersisted, couponNothingUnacknowledged } from './coupon-acknowledged.ts';
import { couponCountsAgree } from './coupon-counts-agree.ts';
import { couponHoldersExist } from './coupon-holders-exist.ts';
import { couponNoDuplicates } from './coupon-no-duplicates.ts';
import { couponNoOverIssue } from './coupon-no-over-issue.ts';
import { couponRedisSetAgrees, couponRedisStockAgrees } from './coupon-redis-agrees.ts';
import { orderAcknowledgedPersisted } from './order-acknowledged.ts';
import { orderBalanceDrift, orderLedgerUnique, orderPaymentsInLedger } from './order-balance.ts';
import { orderChargeEqualsOrder } from './order-charge-amount.ts';
import { orderCouponUseConsistent } from './order-coupon-use.ts';
import { orderEventsMatchOrders } from './order-events-match.ts';
import { orderEventsPublished } from './order-events-published.ts';
import { orderLedgerChain } from './order-ledger-chain.ts';
import { orderNoPhantom } from './order-no-phantom.ts';
import { orderReferencesIntact } from './order-references.ts';
import { orderCouponUsedOnce, orderPaidComplete } from './order-paid-orders.ts';
import { orderNoNegativeStock, orderStockConserved } from './order-stock.ts';

/** Every invariant the audit checks, in report order. docs/invariants.md explains each. */
export const INVARIANTS: readonly Invariant[] = [
  couponNoDuplicates, couponNoOverIssue, couponCountsAgree, couponHoldersExist, couponRedisSetAgrees, couponRedisStockAgrees,
  couponAcknowledgedPersisted, couponNothingUnacknowledged,
  orderNoNegativeStock, orderStockConserved, orderBalanceDrift, orderLedgerUnique, orderLedgerChain, orderPaymentsInLedger,
  orderPaidComplete, orderChargeEqualsOrder, orderCouponUsedOnce, orderCouponUseConsistent, orderAcknowledgedPersisted,
  orderNoPhantom, orderEventsPublished, orderEventsMatchOrders, orderReferencesIntact, amountsExact,
];
