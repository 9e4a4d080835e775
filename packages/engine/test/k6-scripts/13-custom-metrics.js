// Custom metrics fed from responses inside a helper.
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';

const orders = new Counter('shop_orders');
const orderOk = new Rate('shop_order_ok');
const orderTime = new Trend('shop_order_time', true);

export const options = {
  iterations: 4,
  thresholds: { shop_orders: ['count==4'], shop_order_ok: ['rate==1'], shop_order_time: ['avg>=0'] },
};

function placeOrder() {
  const res = http.post(`${__ENV.BASE}/orders`, JSON.stringify({ sku: 1 }));
  orders.add(1);
  orderOk.add(res.status === 200);
  orderTime.add(res.timings.duration);
}

export default function () {
  placeOrder();
}
