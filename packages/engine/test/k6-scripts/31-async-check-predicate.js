// An async check predicate is an error in k6: the promise would always be truthy.
import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 1, duration: '30s' };

export default function () {
  const res = http.get(`${__ENV.BASE}/`);
  check(res, { 'status 200': async (r) => r.status === 200 });
}
