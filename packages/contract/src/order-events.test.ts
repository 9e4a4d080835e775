import { describe, expect, it } from 'vitest';
import { ORDER_PAID_FIELDS, orderPaidPayload } from './order-events.ts';

describe('the order-paid event payload', () => {
  it('carries exactly the contract\'s fields, the scalars in their listed order, then the lines', () => {
    const line = { productId: 4, quantity: 2, unitPrice: 100, name: 'not part of the event' };
    const payload = orderPaidPayload({ orderId: 1, userId: 7, totalAmount: 200, discountAmount: 50, paidAmount: 150, couponId: null, items: [line] });
    expect(Object.keys(payload)).toEqual([...ORDER_PAID_FIELDS, 'items']);
    expect(JSON.parse(JSON.stringify(payload))).toEqual({
      orderId: 1, userId: 7, totalAmount: 200, discountAmount: 50, paidAmount: 150, couponId: null, items: [{ productId: 4, quantity: 2, unitPrice: 100 }],
    });
  });
});
