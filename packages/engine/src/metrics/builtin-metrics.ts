/** k6's built-in metrics, with k6's names, types and value kinds. */
import type { Metric } from './metric.ts';
import type { MetricRegistry } from './registry.ts';

export interface BuiltinMetrics {
  readonly vus: Metric;
  readonly vusMax: Metric;
  readonly iterations: Metric;
  readonly iterationDuration: Metric;
  readonly droppedIterations: Metric;
  readonly dataSent: Metric;
  readonly dataReceived: Metric;
  readonly checks: Metric;
  readonly groupDuration: Metric;
  readonly httpReqs: Metric;
  readonly httpReqFailed: Metric;
  readonly httpReqDuration: Metric;
  readonly httpReqBlocked: Metric;
  readonly httpReqConnecting: Metric;
  readonly httpReqTlsHandshaking: Metric;
  readonly httpReqSending: Metric;
  readonly httpReqWaiting: Metric;
  readonly httpReqReceiving: Metric;
}

export function registerBuiltinMetrics(r: MetricRegistry): BuiltinMetrics {
  const m: BuiltinMetrics = {
    vus: r.define('vus', 'gauge'),
    vusMax: r.define('vus_max', 'gauge'),
    iterations: r.define('iterations', 'counter'),
    iterationDuration: r.define('iteration_duration', 'trend', 'time'),
    droppedIterations: r.define('dropped_iterations', 'counter'),
    dataSent: r.define('data_sent', 'counter', 'data'),
    dataReceived: r.define('data_received', 'counter', 'data'),
    checks: r.define('checks', 'rate'),
    groupDuration: r.define('group_duration', 'trend', 'time'),
    httpReqs: r.define('http_reqs', 'counter'),
    httpReqFailed: r.define('http_req_failed', 'rate'),
    httpReqDuration: r.define('http_req_duration', 'trend', 'time'),
    httpReqBlocked: r.define('http_req_blocked', 'trend', 'time'),
    httpReqConnecting: r.define('http_req_connecting', 'trend', 'time'),
    httpReqTlsHandshaking: r.define('http_req_tls_handshaking', 'trend', 'time'),
    httpReqSending: r.define('http_req_sending', 'trend', 'time'),
    httpReqWaiting: r.define('http_req_waiting', 'trend', 'time'),
    httpReqReceiving: r.define('http_req_receiving', 'trend', 'time'),
  };
  // k6 always reports this sub-metric in its summary: latency of the responses that were expected.
  r.submetric('http_req_duration{expected_response:true}');
  return m;
}
