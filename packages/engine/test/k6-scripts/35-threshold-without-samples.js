// Thresholds on a Trend and a Rate that got no samples do not fail the test (as in k6).
import http from 'k6/http';
import { Rate } from 'k6/metrics';

const retried = new Rate('retried');

export const options = {
  iterations: 2,
  thresholds: {
    'http_req_duration{name:never-called}': ['p(95)<100'],
    retried: ['rate>0.5'],
    http_reqs: ['count==2'],
  },
};

export default function () {
  http.get(`${__ENV.BASE}/`);
  if (__ENV.RETRY === 'yes') retried.add(true);
}
