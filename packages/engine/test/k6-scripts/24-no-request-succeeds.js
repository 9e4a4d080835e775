// Every request fails (nothing listens there): the run says so loudly.
import http from 'k6/http';

export const options = { iterations: 3 };

export default function () {
  http.get(__ENV.DEAD);
}
