// An object literal of request helpers, one calling another through `this`.
import http from 'k6/http';
import { check } from 'k6';

const api = {
  base: __ENV.BASE,
  list() {
    return http.get(`${this.base}/items`).json();
  },
  refresh() {
    this.list();
    return this.list();
  },
  remove: (id) => http.del(`${__ENV.BASE}/items/${id}`),
};

export const options = { iterations: 3 };

export default function () {
  const items = api.refresh();
  check(items, { listed: (i) => i.ok === true });
  const res = api.remove(1);
  check(res, { removed: (r) => r.status === 200 });
}
