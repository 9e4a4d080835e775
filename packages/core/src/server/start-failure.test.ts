import { describe, expect, it } from 'vitest';
import { startFailureCause } from './start-failure.ts';

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
