// An API client class whose methods make the requests.
import http from 'k6/http';
import { check } from 'k6';

class ShopClient {
  constructor(base) {
    this.base = base;
  }

  get(path) {
    return http.get(`${this.base}${path}`, { tags: { name: path } });
  }

  product(id) {
    const res = this.get(`/products/${id}`);
    return res.json();
  }
}

export const options = {
  iterations: 2,
  thresholds: { 'http_reqs{name:/products/1}': ['count==2'], 'http_reqs{name:/products/2}': ['count==2'] },
};

export default function () {
  const client = new ShopClient(__ENV.BASE);
  const first = client.product(1);
  const second = client.product(2);
  check([first, second], { 'both answered': (ps) => ps.every((p) => p.ok) });
}
