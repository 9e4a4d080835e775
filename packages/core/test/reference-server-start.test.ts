import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, ServiceError, startReferenceServer } from '../src/index.ts';
import { freePort } from './free-port.ts';

describe('startReferenceServer failures', () => {
  it('name why this start failed and show only this process\'s log lines, though the log file is shared', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'perf-lab-server-start-'));
    const logFile = path.join(stateDir, 'reference-server.log');
    writeFileSync(logFile, 'a line from an earlier server process\n');
    // Nothing listens on ports 1 and 2 of loopback: the server's migration fails at once.
    const targetUrl = `http://127.0.0.1:${await freePort()}`;
    const configOn = (port: number) => resolveConfig({
      file: false, env: {}, flags: { stateDir, manage: '', mysqlUrl: `mysql://u:p@127.0.0.1:${port}/nowhere`, targetUrl },
    });

    const first = await startReferenceServer(await configOn(1), {}, { logFile, timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ServiceError);
    const firstMessage = (first as ServiceError).message;
    expect(firstMessage).toMatch(/the reference server \(pid \d+\) exited before it answered GET/);
    expect(firstMessage).toContain('connect ECONNREFUSED 127.0.0.1:1');
    expect(firstMessage).not.toContain('an earlier server process');

    const second = await startReferenceServer(await configOn(2), {}, { logFile, timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ServiceError);
    const secondMessage = (second as ServiceError).message;
    expect(secondMessage).toContain('connect ECONNREFUSED 127.0.0.1:2');
    expect(secondMessage).not.toContain('127.0.0.1:1');
    expect(secondMessage).not.toContain('an earlier server process');
    // The file itself still holds every start, for `tail -f` users.
    const whole = readFileSync(logFile, 'utf8');
    expect(whole).toContain('an earlier server process');
    expect(whole).toContain('127.0.0.1:1');
    expect(whole).toContain('127.0.0.1:2');
  });
});
