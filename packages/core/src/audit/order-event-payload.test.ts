import { describe, expect, it } from 'vitest';
import { orderPaidPayload } from '@perf-lab/contract';
import { linesText, payloadDifferences, type OrderFacts } from './order-event-payload.ts';

const ORDER: OrderFacts = {
  orderId: '1', userId: '7', totalAmount: '400', discountAmount: '0', paidAmount: '400', couponId: 'null',
  items: linesText([{ productId: 4, quantity: 2, unitPrice: 100 }, { productId: 1, quantity: 2, unitPrice: 100 }]),
};
const written = orderPaidPayload({
  orderId: 1, userId: 7, totalAmount: 400, discountAmount: 0, paidAmount: 400, couponId: null,
  items: [{ productId: 1, quantity: 2, unitPrice: 100 }, { productId: 4, quantity: 2, unitPrice: 100 }],
});

describe('an order event payload compared with its order', () => {
  it('agrees when it is what the contract writes, as text or as a parsed object, whatever the order of its lines', () => {
    expect(payloadDifferences(JSON.stringify(written), ORDER)).toEqual([]);
    expect(payloadDifferences({ ...written, items: [...written.items].reverse() }, ORDER)).toEqual([]);
  });

  it('names each field that says something else, a type drift included', () => {
    expect(payloadDifferences({ ...written, userId: 8, paidAmount: 300 }, ORDER)).toEqual([
      "userId 8, the order's 7", "paidAmount 300, the order's 400",
    ]);
    expect(payloadDifferences({ ...written, orderId: '1' }, ORDER)).toEqual(['orderId "1", the order\'s 1']);
    expect(payloadDifferences({ ...written, couponId: 2 }, ORDER)).toEqual(["couponId 2, the order's null"]);
  });

  it('names a missing field, lines that differ and a payload that is not an object', () => {
    const { totalAmount: _gone, ...rest } = written;
    expect(payloadDifferences(rest, ORDER)).toEqual(["totalAmount missing, the order's 400"]);
    expect(payloadDifferences({ ...written, items: [{ productId: 1, quantity: 3, unitPrice: 100 }] }, ORDER))
      .toEqual(["items 1×3@100, the order's 1×2@100 4×2@100"]);
    expect(payloadDifferences({ ...written, items: 'none' }, ORDER)).toEqual(['items "none" (not a list of lines), the order\'s 1×2@100 4×2@100']);
    expect(payloadDifferences('{"orderId": 1', ORDER)).toEqual(['the payload is not JSON']);
    expect(payloadDifferences('[]', ORDER)).toEqual(['the payload is not a JSON object']);
  });
});
