// Loops around requests: for, for...of, while, do...while.
import http from 'k6/http';

export const options = { iterations: 2 };

const pages = ['/a', '/b', '/c'];

export default function () {
  for (let i = 0; i < 2; i++) http.get(`${__ENV.BASE}/for/${i}`);
  for (const p of pages) {
    http.get(`${__ENV.BASE}${p}`);
  }
  let n = 0;
  while (n < 2) {
    http.get(`${__ENV.BASE}/while/${n}`);
    n++;
  }
  do {
    n--;
    http.head(`${__ENV.BASE}/do/${n}`);
  } while (n > 0);
}
