// fail() ends one iteration (the others go on); the failing check is counted.
import http from 'k6/http';
import { check, fail } from 'k6';

export const options = { iterations: 4, thresholds: { 'checks{check:status ok}': ['rate==0.5'] } };

function mustBeOk(res) {
  if (!check(res, { 'status ok': (r) => r.status === 200 })) fail(`unexpected status ${res.status}`);
  return res;
}

export default function () {
  mustBeOk(http.get(`${__ENV.BASE}/?status=${__ITER % 2 === 0 ? 200 : 503}`));
  http.get(`${__ENV.BASE}/after`);
}
