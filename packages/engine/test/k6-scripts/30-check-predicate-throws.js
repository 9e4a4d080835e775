// A check predicate that throws: the check is recorded as failed, then the error ends the
// iteration (as in k6); the test goes on.
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 3 };

export default function () {
  const res = http.get(`${__ENV.BASE}/`);
  check(res, {
    'body has items': (r) => {
      if (!r.json().items) throw new Error('no items in the body');
      return true;
    },
  });
  http.get(`${__ENV.BASE}/never-reached`);
}
