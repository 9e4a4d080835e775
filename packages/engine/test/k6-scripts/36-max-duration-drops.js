// per-vu-iterations cut short by maxDuration: the iterations that never started are
// counted in dropped_iterations.
import http from 'k6/http';
import { sleep } from 'k6';

export const options = {
  scenarios: { slow: { executor: 'per-vu-iterations', vus: 2, iterations: 10, maxDuration: '1s', gracefulStop: '0s' } },
};

export default function () {
  http.get(`${__ENV.BASE}/`);
  sleep(0.3);
}
