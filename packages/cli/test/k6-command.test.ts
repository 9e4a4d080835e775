/**
 * `perf-lab k6 run` and `perf-lab run <file>`: a user's own k6 script (JavaScript or TypeScript)
 * through the real executable, against a local server, with k6's exit codes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { startTestServer, type TestServer } from '../../engine/test/helpers/test-server.ts';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'perf-lab-k6-command-'));
});
afterAll(async () => {
  await server.close();
});

function script(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

describe('perf-lab k6 run', () => {
  it('bundles a TypeScript script, takes k6 flags and prints the summary', async () => {
    const file = script('typed.ts', `
      import http from 'k6/http';
      import { check, group } from 'k6';
      interface Echo { method: string }
      function echo(): Echo {
        return http.post(\`\${__ENV.BASE}/echo\`, 'x').json() as unknown as Echo;
      }
      export default function (): void {
        group('echo', () => check(echo(), { 'was a POST': (e) => e.method === 'POST' }));
      }`);
    const before = server.count;
    const r = await runCli(['k6', 'run', '--vus', '2', '--iterations', '6', '-e', `BASE=${server.url}`, file]);
    expect(r.code, r.stderr).toBe(0);
    expect(server.count - before).toBe(6);
    expect(r.stdout).toMatch(/✓ was a POST/);
    expect(r.stdout).toMatch(/http_reqs\.+: 6 /);
  });

  it('writes k6\'s CSV with --out csv=FILE (K6_CSV_TIME_FORMAT honoured): one http_reqs row per request', async () => {
    const file = script('csv.js', `
      import http from 'k6/http';
      export default function () { http.get(__ENV.BASE + '/?status=' + (__ITER % 2 ? 404 : 200)); }`);
    const csv = join(dir, 'samples.csv');
    const r = await runCli(['k6', 'run', '-q', '-u', '2', '-i', '8', '--tag', 'team=shop', '-e', `BASE=${server.url}`, '--out', `csv=${csv}`, file], { K6_CSV_TIME_FORMAT: 'rfc3339' });
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = readFileSync(csv, 'utf8').trim().split('\n');
    expect(header).toBe('metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata');
    const reqs = rows.map((l) => l.split(',')).filter((c) => c[0] === 'http_reqs');
    expect(reqs).toHaveLength(8);
    for (const c of reqs) {
      expect(c[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(c[17]).toBe('team=shop');
    }
    // Which VU runs which shared iteration varies, so count the 404s asked for, not a fixed half.
    const asked404 = reqs.filter((c) => c[16]!.endsWith('status=404')).length;
    expect(asked404).toBeGreaterThan(0);
    expect(reqs.filter((c) => c[13] === '404')).toHaveLength(asked404);
  });

  it("exits with k6's codes: 99 for a failed threshold, 107 for a script the engine refuses", async () => {
    const failing = script('failing.js', `
      import http from 'k6/http';
      export const options = { iterations: 2, thresholds: { http_req_failed: ['rate<0.5'] } };
      export default function () { http.get(__ENV.BASE + '/?status=500'); }`);
    expect((await runCli(['k6', 'run', '-q', '-e', `BASE=${server.url}`, failing])).code).toBe(99);
    const refused = script('refused.js', `
      import http from 'k6/http';
      export default function () { [1].map((i) => http.get(__ENV.BASE + '/' + i)); }`);
    const r = await runCli(['k6', 'run', '-q', refused]);
    expect(r.code).toBe(107);
    expect(r.stderr).toMatch(/refused\.js:3:\d+: this function is passed to `\[1\]\.map\(\)`/);
  });
});

describe('perf-lab k6 run: requests without a response', () => {
  /** A port nothing listens on: bound by the OS, then released. */
  async function closedPort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }

  it("warns per failed request as k6 does (not for an HTTP error status), the first 10 and then a count", async () => {
    const port = await closedPort();
    const file = script('refused.js', `
      import http from 'k6/http';
      export default function () {
        http.get('http://127.0.0.1:${port}/x');
        http.get(__ENV.BASE + '/?status=500');
      }`);
    const r = await runCli(['k6', 'run', '-q', '-u', '2', '-i', '40', '-e', `BASE=${server.url}`, file]);
    // every request failed (refused or 500): said once at the end, and not a passing run
    expect(r.code, r.stderr).toBe(110);
    expect(r.stderr).toMatch(/no HTTP request succeeded: all 80 requests failed/);
    const failed = r.stderr.split('\n').filter((l) => l.includes('Request Failed'));
    const each = failed.filter((l) => /^WARN\[\d{4}\] Request Failed error=/.test(l));
    expect(each).toHaveLength(10);
    for (const line of each) expect(line).toContain(`error="Get \\"http://127.0.0.1:${port}/x\\": connect ECONNREFUSED 127.0.0.1:${port}"`);
    expect(failed[10]).toMatch(/^WARN\[\d{4}\] Request Failed: 10 shown; further ones are counted/);
    // 40 refused, 10 printed: the other 30 in one line at the end (the run is under 10 s)
    expect(failed.at(-1)).toMatch(new RegExp(`^WARN\\[\\d{4}\\] Request Failed ×30 more in the last \\d+s \\(not printed one by one\\): 30 × connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`));
    expect(failed).toHaveLength(12);
    expect(r.stdout).toMatch(/http_reqs\.+: 80 /);
  });

  it('with --throw, a failed request is an exception of the iteration and no warning', async () => {
    const port = await closedPort();
    const file = script('thrown.js', `
      import http from 'k6/http';
      export default function () { http.get('http://127.0.0.1:${port}/'); }`);
    const r = await runCli(['k6', 'run', '-q', '--throw', '-u', '1', '-i', '3', file]);
    expect(r.stderr).not.toContain('Request Failed');
    expect(r.stderr.match(new RegExp(`^ERRO\\[\\d{4}\\] Error: Get "http://127\\.0\\.0\\.1:${port}/": connect ECONNREFUSED`, 'gm'))).toHaveLength(3);
  });
});

describe('perf-lab run <file>', () => {
  it("runs a script file with --vus and --duration, the shell's environment as __ENV", async () => {
    const file = script('own.js', `
      import http from 'k6/http';
      import { sleep } from 'k6';
      export default function () { http.get(__ENV.BASE + '/own'); sleep(0.1); }`);
    const before = server.count;
    const r = await runCli(['run', file, '--vus', '2', '--duration', '1s'], { BASE: server.url });
    expect(r.code, r.stderr).toBe(0);
    expect(server.count - before).toBeGreaterThanOrEqual(4);
  });

  it('says what was wrong when the argument is neither a scenario nor a script', async () => {
    const r = await runCli(['run', join(dir, 'missing.js')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/neither a scenario \(coupon, order, storm\) nor a k6 script file/);
  });
});
