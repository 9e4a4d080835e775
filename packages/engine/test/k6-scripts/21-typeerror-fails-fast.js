// A bug in the script: every iteration would throw. The test stops at once with exit code 107
// instead of running for its whole duration.
import http from 'k6/http';

export const options = { vus: 2, duration: '30s' };

export default function () {
  const res = http.get(`${__ENV.BASE}/`);
  res.body.items.forEach((i) => i);
}
