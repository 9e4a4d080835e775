// exec.test.abort() in the init context stops the test before it starts: exit code 108.
import http from 'k6/http';
import exec from 'k6/execution';

if (!__ENV.REQUIRED_TOKEN) exec.test.abort('REQUIRED_TOKEN is not set');

export default function () {
  http.get(`${__ENV.BASE}/`);
}
