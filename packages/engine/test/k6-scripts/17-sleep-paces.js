// sleep() paces the VU: every iteration lasts at least the sleep.
import http from 'k6/http';
import { sleep } from 'k6';

export const options = {
  iterations: 3,
  thresholds: { iteration_duration: ['min>=100'] },
};

export default function () {
  http.get(`${__ENV.BASE}/`);
  sleep(0.1);
}
