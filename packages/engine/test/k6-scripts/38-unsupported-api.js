// An API the engine does not provide (multipart uploads with http.file) stops the test at once,
// with exit code 107, rather than failing every iteration for the whole duration.
import http from 'k6/http';

export const options = { vus: 1, duration: '30s' };

export default function () {
  http.get(`${__ENV.BASE}/form`);
  const data = { file: http.file('hello', 'hello.txt') };
  http.post(`${__ENV.BASE}/upload`, data);
}
