// Groups inside groups; each request is tagged with its full group path.
import http from 'k6/http';
import { group } from 'k6';

export const options = {
  iterations: 2,
  thresholds: {
    'http_reqs{group:::checkout::cart}': ['count==2'],
    'http_reqs{group:::checkout::payment}': ['count==4'],
    'group_duration{group:::checkout}': ['max<10000'],
  },
};

export default function () {
  group('checkout', () => {
    group('cart', () => {
      http.get(`${__ENV.BASE}/cart`);
    });
    group('payment', () => {
      http.post(`${__ENV.BASE}/payment`, JSON.stringify({ amount: 10 }), { headers: { 'Content-Type': 'application/json' } });
      http.get(`${__ENV.BASE}/payment/status`);
    });
  });
}
