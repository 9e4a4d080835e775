// `vus` with nothing saying how long: k6 ignores it (with a warning) and runs 1 iteration in 1 VU.
import http from 'k6/http';

export const options = { vus: 5 };

export default function () {
  http.get(`${__ENV.BASE}/`);
}
