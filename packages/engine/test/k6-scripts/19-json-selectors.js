// Response bodies read with res.json(selector) and passed between requests.
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 2 };

function fetchPath(path) {
  return http.get(`${__ENV.BASE}${path}`).json('path');
}

export default function () {
  const path = fetchPath('/first');
  const res = http.get(`${__ENV.BASE}/echo${path}`);
  check(res, { 'chained path': (r) => r.json('path') === '/echo/first' });
}
