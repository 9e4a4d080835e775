// An async group callback is an error in k6; it is here too, and it stops the test.
import http from 'k6/http';
import { group } from 'k6';

export const options = { vus: 1, duration: '30s' };

export default async function () {
  await group('async body', async () => {
    await http.asyncRequest('GET', `${__ENV.BASE}/`);
  });
}
