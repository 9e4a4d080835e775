// http.batch with URLs, [method, url, body, params] arrays and request objects.
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 2 };

export default function () {
  const responses = http.batch([
    `${__ENV.BASE}/one`,
    ['GET', `${__ENV.BASE}/two`, null, { tags: { name: 'two' } }],
    { method: 'POST', url: `${__ENV.BASE}/three`, body: 'x=1' },
  ]);
  check(responses, {
    'three responses': (rs) => rs.length === 3,
    'all 200': (rs) => rs.every((r) => r.status === 200),
    'third was a POST': (rs) => rs[2].json().method === 'POST',
  });
}
