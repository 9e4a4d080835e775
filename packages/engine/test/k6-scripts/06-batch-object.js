// http.batch with named requests: responses come back under the same names.
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 1 };

export default function () {
  const res = http.batch({
    list: { method: 'GET', url: `${__ENV.BASE}/list` },
    detail: ['GET', `${__ENV.BASE}/detail?status=404`],
  });
  check(res, {
    'list is 200': (r) => r.list.status === 200,
    'detail is 404': (r) => r.detail.status === 404,
  });
}
