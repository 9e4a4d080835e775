// The async API keeps working: asyncRequest, an async default function, awaited sleeps.
import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = { iterations: 2 };

export default async function () {
  const [a, b] = await Promise.all([
    http.asyncRequest('GET', `${__ENV.BASE}/a`),
    http.asyncRequest('GET', `${__ENV.BASE}/b`),
  ]);
  check([a, b], { 'both 200': (rs) => rs.every((r) => r.status === 200) });
  const c = http.get(`${__ENV.BASE}/c`);
  check(c, { 'sync call in an async function': (r) => r.status === 200 });
  await sleep(0.01);
}
