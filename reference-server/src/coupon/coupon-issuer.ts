import type { RejectionReason } from './coupon-repository.ts';

/** What a strategy answers to an accepted request (refusals are AppErrors: 404, 409, 503). */
export interface IssueAccepted {
  readonly statusCode: 201 | 202;
  readonly body: { readonly status: 'PENDING' | 'ISSUED'; readonly requestId: string };
}

export type IssueStatus =
  | { readonly status: 'ISSUED'; readonly issuedAt: Date }
  | { readonly status: 'PENDING' }
  | { readonly status: 'REJECTED'; readonly reason: RejectionReason };

export interface CouponView {
  readonly id: number;
  readonly name: string;
  readonly total: number;
  readonly issued: number;
  readonly remaining: number;
  /** Only for redis-kafka: the fast path's view, for eyeballing drift against the database. */
  readonly redis?: { readonly stock: number | null; readonly reserved: number; readonly soldOut: boolean };
}

export interface UserCouponView {
  readonly couponId: number;
  readonly issuedAt: Date;
  /** So a client can pick a coupon it can still spend on an order. */
  readonly usedOrderId: number | null;
}

/**
 * One way of issuing first-come coupons. The routes only know this interface, so the
 * strategies can be swapped by REF_COUPON_STRATEGY and compared under the same load.
 */
export interface CouponIssuer {
  issue(couponId: number, userId: number): Promise<IssueAccepted>;
  /** null when this user never asked for this coupon (as far as the strategy can tell). */
  issueStatus(couponId: number, userId: number): Promise<IssueStatus | null>;
  /** null for an unknown coupon. */
  getCoupon(couponId: number): Promise<CouponView | null>;
  listUserCoupons(userId: number): Promise<UserCouponView[]>;
}
