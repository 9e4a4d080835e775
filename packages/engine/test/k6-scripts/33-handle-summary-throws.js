// A handleSummary() that throws is logged; the default summary is printed and the exit code
// stays the test's own.
import http from 'k6/http';

export const options = { iterations: 2 };

export default function () {
  http.get(`${__ENV.BASE}/`);
}

export function handleSummary(data) {
  return { stdout: data.metrics.no_such_metric.values.count };
}
