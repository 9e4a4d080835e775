// Two scenarios, each running its own exported function.
import http from 'k6/http';
import { sleep } from 'k6';

export const options = {
  scenarios: {
    browsers: { executor: 'per-vu-iterations', vus: 2, iterations: 3, exec: 'browse' },
    buyers: { executor: 'shared-iterations', vus: 2, iterations: 5, exec: 'buy', startTime: '50ms' },
  },
  thresholds: {
    'http_reqs{scenario:browsers}': ['count==6'],
    'http_reqs{scenario:buyers}': ['count==10'],
  },
};

export function browse() {
  http.get(`${__ENV.BASE}/products`);
  sleep(0.01);
}

export function buy() {
  http.post(`${__ENV.BASE}/cart`, 'sku=1');
  http.post(`${__ENV.BASE}/orders`, 'cart=1');
}
