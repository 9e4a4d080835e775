// handleSummary() writes its own report to stdout from the end-of-test data and setup()'s.
import http from 'k6/http';

export const options = { iterations: 3 };

export function setup() {
  return { release: 'r42' };
}

export default function () {
  http.get(`${__ENV.BASE}/`);
}

export function handleSummary(data) {
  const reqs = data.metrics.http_reqs.values.count;
  const iterations = data.metrics.iterations.values.count;
  return { stdout: `requests=${reqs} iterations=${iterations} release=${data.setup_data.release}\n` };
}
