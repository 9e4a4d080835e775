// A threshold the run cannot meet: the test ends with exit code 99.
import http from 'k6/http';

export const options = {
  iterations: 3,
  thresholds: { http_req_failed: ['rate<0.1'] },
};

export default function () {
  http.get(`${__ENV.BASE}/?status=500`);
}
