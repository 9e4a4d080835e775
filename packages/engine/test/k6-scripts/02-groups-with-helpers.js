// Requests made by helper functions, called from inside groups.
import http from 'k6/http';
import { check, group } from 'k6';

export const options = {
  iterations: 3,
  thresholds: {
    'http_reqs{group:::home}': ['count==3'],
    'http_reqs{group:::catalog}': ['count==6'],
  },
};

function visit(path) {
  const res = http.get(`${__ENV.BASE}${path}`);
  check(res, { [`${path} answered`]: (r) => r.status === 200 });
  return res;
}

function browseCatalog() {
  visit('/products');
  visit('/products/7');
}

export default function () {
  group('home', function () {
    visit('/');
  });
  group('catalog', browseCatalog);
}
