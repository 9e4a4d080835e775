// A request inside a forEach callback: k6 blocks there, the engine cannot make it wait, so the
// script is refused at load time, with the file and line.
import http from 'k6/http';

export const options = { iterations: 1 };

export default function () {
  ['/a', '/b'].forEach((p) => {
    http.get(`${__ENV.BASE}${p}`);
  });
}
