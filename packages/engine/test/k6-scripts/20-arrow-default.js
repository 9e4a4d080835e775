// Arrow-function style: an arrow default export and const arrow helpers.
import http from 'k6/http';
import { check, group, sleep } from 'k6';

export const options = { vus: 2, iterations: 4 };

const get = (path) => http.get(`${__ENV.BASE}${path}`);
const pause = () => sleep(0.005);
const visitAll = (paths) => {
  const statuses = [];
  for (const p of paths) statuses.push(get(p).status);
  return statuses;
};

export default () => {
  group('visit', () => {
    const statuses = visitAll(['/x', '/y']);
    check(statuses, { 'all ok': (s) => s.every((code) => code === 200) });
  });
  pause();
};
