// setup() logs in once; every iteration uses the token; teardown() logs out.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  vus: 2,
  iterations: 4,
  thresholds: {
    'http_reqs{group:::setup}': ['count==1'],
    'http_reqs{group:::teardown}': ['count==1'],
  },
};

export function setup() {
  const res = http.post(`${__ENV.BASE}/login`, { user: 'alice', password: 'secret' });
  check(res, { 'logged in': (r) => r.status === 200 });
  return { token: `t-${res.json('method')}` };
}

export default function (data) {
  const res = http.get(`${__ENV.BASE}/me`, { headers: { Authorization: `Bearer ${data.token}` } });
  check(res, { 'token from setup': () => data.token === 't-POST' });
}

export function teardown(data) {
  http.post(`${__ENV.BASE}/logout`, JSON.stringify(data));
}
