// Thresholds on sub-metrics: request names, statuses and individual checks.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  iterations: 4,
  thresholds: {
    'http_req_duration{name:slow}': ['min>=15'],
    'http_req_duration{name:fast}': ['max<1000'],
    'http_reqs{status:201}': ['count==4'],
    'checks{check:created}': ['rate==1'],
    checks: ['rate>0.7'],
  },
};

export default function () {
  http.get(`${__ENV.BASE}/?delay=20`, { tags: { name: 'slow' } });
  const res = http.get(`${__ENV.BASE}/?status=201`, { tags: { name: 'fast' } });
  check(res, { created: (r) => r.status === 201 });
  check(res, { 'odd iteration': () => __ITER % 2 === 1 });
}
