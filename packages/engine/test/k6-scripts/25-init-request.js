// Requests in the init context are not allowed in k6 either: exit code 107.
import http from 'k6/http';

const res = http.get(`${__ENV.BASE}/config`);

export default function () {
  return res;
}
