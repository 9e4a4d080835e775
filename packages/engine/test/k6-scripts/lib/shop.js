// Shared helpers, imported by 16-imported-helpers.js.
import http from 'k6/http';
import { sleep } from 'k6';

export const BASE = __ENV.BASE;

export function addToCart(sku) {
  return http.post(`${BASE}/cart`, JSON.stringify({ sku }), { tags: { name: 'add to cart' } });
}

export function think() {
  sleep(0.01);
}

function checkoutImpl() {
  return http.post(`${BASE}/checkout`, '{}', { tags: { name: 'checkout' } });
}

export { checkoutImpl as checkout };
