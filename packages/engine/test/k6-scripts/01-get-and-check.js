// The first script of every k6 tutorial: one GET, one check, a pause.
import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = { vus: 1, iterations: 5 };

export default function () {
  const res = http.get(`${__ENV.BASE}/`);
  check(res, { 'status is 200': (r) => r.status === 200 });
  sleep(0.01);
}
