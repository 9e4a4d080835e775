// sleep(x) never returns before x seconds have passed.
import { sleep } from 'k6';
import { Trend } from 'k6/metrics';

const slept = new Trend('slept_ms');

export const options = { vus: 2, iterations: 20, thresholds: { slept_ms: ['min>=30'] } };

export default function () {
  const start = Date.now();
  sleep(0.03);
  slept.add(Date.now() - start);
}
