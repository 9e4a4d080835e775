import { describe, expect, it } from 'vitest';
import { vuBaseUrl } from '../src/lib/config.ts';

describe('vuBaseUrl', () => {
  const urls = 'http://127.0.0.1:18080,http://127.0.0.1:18081/, http://127.0.0.1:18082';
  it('gives each VU one of BASE_URLS round-robin by __VU % n', () => {
    expect([0, 1, 2, 3, 4, 5].map((vu) => vuBaseUrl('http://unused:1', urls, vu))).toEqual([
      'http://127.0.0.1:18080', 'http://127.0.0.1:18081', 'http://127.0.0.1:18082',
      'http://127.0.0.1:18080', 'http://127.0.0.1:18081', 'http://127.0.0.1:18082',
    ]);
  });
  it('falls back to BASE_URL, and refuses what is not http://host:port', () => {
    expect(vuBaseUrl('http://127.0.0.1:9/', undefined, 7)).toBe('http://127.0.0.1:9');
    expect(vuBaseUrl('http://127.0.0.1:9', '', 7)).toBe('http://127.0.0.1:9');
    expect(() => vuBaseUrl('http://127.0.0.1:9', 'http://a:1,ftp://b', 1)).toThrow(/invalid BASE_URLS entry ftp:\/\/b/);
    expect(() => vuBaseUrl('nope', undefined, 1)).toThrow(/invalid BASE_URL=nope/);
  });
});
