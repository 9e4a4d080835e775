import { describe, expect, it } from 'vitest';
import { startFailureCause, startFailureMessage } from './start-failure.ts';

describe('startFailureCause', () => {
  it('names the plugin fastify gave up on', () => {
    const log = '{"level":30,"msg":"starting"}\nreference-server: Plugin did not start in time: \'couponFeature\'. You may have forgotten to call \'done\' function or to resolve a Promise\n';
    expect(startFailureCause(log)).toBe("its plugin 'couponFeature' did not start in time");
  });

  it('takes the message the server printed before exiting', () => {
    expect(startFailureCause('reference-server: invalid REF_LOCK_SCOPE "x" — expected user, global or none\n'))
      .toBe('invalid REF_LOCK_SCOPE "x" — expected user, global or none');
  });

  it('falls back to the last pino error entry, with its err.message', () => {
    const log = [
      '{"level":30,"msg":"listening"}',
      '{"level":50,"msg":"kafka producer failed","err":{"message":"Connection timeout"}}',
      'not json',
    ].join('\n');
    expect(startFailureCause(log)).toBe('kafka producer failed: Connection timeout');
  });

  it('says nothing when the log holds no cause', () => {
    expect(startFailureCause('{"level":30,"msg":"listening"}\n')).toBeUndefined();
    expect(startFailureCause('')).toBeUndefined();
  });
});

describe('startFailureMessage', () => {
  const base = { pid: 42, url: 'http://127.0.0.1:9', timeoutMs: 60_000, logFile: 'server.log' };
  it('says the process exited, why, and shows its own lines', () => {
    expect(startFailureMessage({ ...base, wait: { healthy: false, exitedFirst: true, last: 'ECONNREFUSED' }, exited: 'code 3', ownLog: 'reference-server: boom' }))
      .toBe('the reference server (pid 42) exited with code 3 before it answered GET http://127.0.0.1:9/health: boom; its log (server.log, this start only):\nreference-server: boom');
  });
  it('says it never answered 200 in time, with the last answer', () => {
    expect(startFailureMessage({ ...base, wait: { healthy: false, exitedFirst: false, last: 'HTTP 503 DEPENDENCY_UNAVAILABLE' }, exited: undefined, ownLog: '' }))
      .toBe('the reference server (pid 42) did not answer GET http://127.0.0.1:9/health with 200 within 60 s (last answer: HTTP 503 DEPENDENCY_UNAVAILABLE); its log (server.log, this start only):\n(empty)');
  });
});
