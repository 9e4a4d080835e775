import { describe, expect, it } from 'vitest';
import { FIRST_LINES, RequestFailureLog, SUMMARY_EVERY_MS } from './request-failure-log.ts';

function harness(): { log: RequestFailureLog; lines: string[]; advance: (ms: number) => void } {
  let now = 0;
  const lines: string[] = [];
  return { log: new RequestFailureLog((m) => lines.push(m), () => now), lines, advance: (ms) => (now += ms) };
}

describe('RequestFailureLog', () => {
  it("prints the first failures as k6 does, in Go's url.Error shape, then says the rest are counted", () => {
    const { log, lines } = harness();
    for (let i = 0; i < FIRST_LINES + 5; i++) log.report('POST', `http://127.0.0.1:1/a?i=${i}`, 'connect ECONNREFUSED 127.0.0.1:1');
    expect(lines).toHaveLength(FIRST_LINES + 1);
    expect(lines[0]).toBe('Request Failed error="Post \\"http://127.0.0.1:1/a?i=0\\": connect ECONNREFUSED 127.0.0.1:1"');
    expect(lines[FIRST_LINES]).toMatch(/^Request Failed: 10 shown; further ones are counted/);
  });

  it('sums up the counted ones by error at most every 10 s, and what is left on flush', () => {
    const { log, lines, advance } = harness();
    for (let i = 0; i < FIRST_LINES; i++) log.report('GET', 'http://x/', 'request timeout');
    lines.length = 0;
    for (let i = 0; i < 7; i++) log.report('GET', 'http://x/', 'request timeout');
    log.report('GET', 'http://x/', 'read ECONNRESET');
    advance(SUMMARY_EVERY_MS - 1);
    log.tick();
    expect(lines).toEqual([]);
    advance(1);
    log.tick();
    expect(lines).toEqual(['Request Failed ×8 more in the last 10s (not printed one by one): 7 × request timeout; 1 × read ECONNRESET']);
    log.tick();
    advance(3_000);
    log.report('GET', 'http://x/', 'read ECONNRESET');
    log.flush();
    expect(lines[1]).toBe('Request Failed ×1 more in the last 3s (not printed one by one): 1 × read ECONNRESET');
    log.flush();
    expect(lines).toHaveLength(2);
  });

  it('names the three most frequent errors and lumps the others, keeping a bounded number apart', () => {
    const { log, lines } = harness();
    for (let i = 0; i < FIRST_LINES; i++) log.report('GET', 'http://x/', 'e');
    lines.length = 0;
    for (let k = 0; k < 30; k++) for (let n = 0; n <= k; n++) log.report('GET', 'http://x/', `error ${k}`);
    log.flush();
    expect(lines).toHaveLength(1);
    // error k failed k+1 times (465 in all); only errors 0..19 are counted apart, so the most
    // frequent named are 19, 18, 17 and everything else (errors 20..29 included) is "other"
    expect(lines[0]).toBe('Request Failed ×465 more in the last 1s (not printed one by one): 20 × error 19; 19 × error 18; 18 × error 17; 408 × other errors');
  });
});
