// Redirects are followed; the final response is what the script sees.
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 2 };

export default function () {
  const res = http.get(`${__ENV.BASE}/start?redirect=/landing`);
  check(res, {
    'followed to the landing page': (r) => r.status === 200 && r.url.endsWith('/landing'),
  });
}
