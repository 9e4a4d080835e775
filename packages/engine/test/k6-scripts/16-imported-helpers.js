// Helpers from another module (through a re-export), called inside a group.
import { check, group } from 'k6';
import { addToCart, checkout, think } from './lib/index.js';
import * as shop from './lib/shop.js';

export const options = {
  iterations: 2,
  thresholds: { 'http_reqs{name:add to cart}': ['count==4'], 'http_reqs{name:checkout}': ['count==2'] },
};

export default function () {
  group('buy', () => {
    addToCart(1);
    shop.addToCart(2);
    think();
    const res = checkout();
    check(res, { 'checked out': (r) => r.status === 200 });
  });
}
