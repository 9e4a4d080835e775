// Paging through results with a recursive helper and conditional requests.
import http from 'k6/http';

export const options = { iterations: 1, thresholds: { http_reqs: ['count==5'] } };

function fetchPage(n, last) {
  http.get(`${__ENV.BASE}/page/${n}`);
  if (n < last) fetchPage(n + 1, last);
}

export default function () {
  fetchPage(1, 3);
  const res = __ITER === 0 ? http.get(`${__ENV.BASE}/first`) : null;
  if (res && res.status === 200) http.get(`${__ENV.BASE}/then`);
}
