import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { parseSettings } from './server-settings.ts';

describe('parseSettings', () => {
  it('reads instances apart from the server environment; 1 when not set', () => {
    expect(parseSettings([])).toMatchObject({ env: {}, instances: 1, label: 'defaults' });
    expect(parseSettings(['instances=3', 'lock=global'])).toEqual({
      env: { REF_LOCK_SCOPE: 'global' }, cartIndex: undefined, instances: 3, label: 'instances=3, lock=global',
    });
  });

  it.each(['instances=0', 'instances=9', 'instances=two', 'instances=1.5'])('refuses %s with a usage error naming the bound', (pair) => {
    expect(() => parseSettings([pair])).toThrow(ConfigError);
    expect(() => parseSettings([pair])).toThrow(/invalid reference-server processes ".*" — expected a positive integer up to 8/);
  });
});
