// constant-vus with sleep: each VU iterates until the duration ends.
import http from 'k6/http';
import { sleep } from 'k6';

export const options = {
  scenarios: { steady: { executor: 'constant-vus', vus: 3, duration: '1s' } },
  thresholds: { vus_max: ['value==3'], iterations: ['count>=6'] },
};

export default function () {
  http.get(`${__ENV.BASE}/`);
  sleep(0.2);
}
