// setup(), teardown() and handleSummary() each get a VU 0 of their own: module state one of
// them changes is not what the next one sees.
import http from 'k6/http';
import exec from 'k6/execution';

let calls = 0;

export const options = { iterations: 2 };

export function setup() {
  calls++;
  return { callsInSetup: calls, vu: __VU };
}

export default function () {
  calls++;
  http.get(`${__ENV.BASE}/`);
}

export function teardown(data) {
  calls++;
  // A fresh VU: neither setup's nor the iterations' calls are counted here (exit 107 otherwise).
  if (calls !== 1 || data.callsInSetup !== 1) throw new Error(`teardown saw calls=${calls}, setup data ${JSON.stringify(data)}`);
  http.post(`${__ENV.BASE}/report`, JSON.stringify({ calls }));
}

export function handleSummary(data) {
  return { stdout: `setup=${data.setup_data.callsInSetup} setup-vu=${data.setup_data.vu} summary=${calls} vu=${exec.vu.idInTest}\n` };
}
