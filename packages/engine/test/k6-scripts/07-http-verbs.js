// Every verb helper, with JSON bodies and a per-method threshold.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  iterations: 1,
  thresholds: {
    'http_reqs{method:POST}': ['count==1'],
    'http_reqs{method:PUT}': ['count==1'],
    'http_reqs{method:PATCH}': ['count==1'],
    'http_reqs{method:DELETE}': ['count==1'],
    'http_reqs{method:OPTIONS}': ['count==1'],
    'http_reqs{method:HEAD}': ['count==1'],
    'http_reqs{method:GET}': ['count==1'],
  },
};

const json = { headers: { 'Content-Type': 'application/json' } };

export default function () {
  const base = `${__ENV.BASE}/items`;
  const created = http.post(base, JSON.stringify({ name: 'pen' }), json);
  check(created, { 'post echoed': (r) => r.json('method') === 'POST' });
  http.put(`${base}/1`, JSON.stringify({ name: 'pencil' }), json);
  http.patch(`${base}/1`, JSON.stringify({ name: 'quill' }), json);
  http.del(`${base}/1`);
  http.options(base);
  http.head(base);
  http.request('GET', base);
}
