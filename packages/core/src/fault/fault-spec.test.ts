import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { DEFAULT_PAUSE_MS, parseDuration, parseFault, parseFaults } from './fault-spec.ts';

describe('parseFault', () => {
  it('reads action, target, start and length', () => {
    expect(parseFault('kill-server@20s')).toEqual({ text: 'kill-server@20s', action: 'kill', target: 'server', atMs: 20_000, forMs: 0 });
    expect(parseFault('pause-kafka@30s:10s')).toMatchObject({ action: 'pause', target: 'kafka', atMs: 30_000, forMs: 10_000 });
    expect(parseFault('kill-mysql@1.5s:500ms')).toMatchObject({ atMs: 1500, forMs: 500 });
    expect(parseFault(' kill-redis@2m ')).toMatchObject({ text: 'kill-redis@2m', atMs: 120_000 });
    expect(parseFault('kill-redis@7')).toMatchObject({ atMs: 7000 });
  });

  it('reads a server instance after #', () => {
    expect(parseFault('kill-server#2@5s:3s')).toEqual({ text: 'kill-server#2@5s:3s', action: 'kill', target: 'server', instance: 2, atMs: 5000, forMs: 3000 });
    expect(parseFault('pause-server#3@1s')).toMatchObject({ target: 'server', instance: 3, forMs: DEFAULT_PAUSE_MS });
    expect(() => parseFault('kill-mysql#2@1s')).toThrow(/only the server has instances/);
    expect(() => parseFault('kill-server#0@1s')).toThrow(/instances count from 1/);
    expect(() => parseFault('kill-server#x@1s')).toThrow(/expected <action>-<target>\[#<instance>\]@<at>/);
  });

  it('gives a pause a default length and refuses a zero-length one', () => {
    expect(parseFault('pause-redis@5s').forMs).toBe(DEFAULT_PAUSE_MS);
    expect(() => parseFault('pause-redis@5s:0s')).toThrow(/pause needs a length above 0/);
  });

  it.each([
    ['kill-server', /expected <action>-<target>\[#<instance>\]@<at>/],
    ['crash-server@1s', /unknown action "crash" — choose one of kill, pause/],
    ['kill-postgres@1s', /unknown target "postgres" — choose one of server, mysql, redis, kafka/],
    ['kill-redis@soon', /invalid start of fault "kill-redis@soon" "soon" — expected a duration/],
    ['kill-redis@1s:-2s', /invalid duration of fault/],
    ['kill-redis@1h', /invalid start/],
    ['pause-kafka@1s:11m', /longer than the 10 minutes/],
  ])('refuses %s with a usage error', (text, message) => {
    expect(() => parseFault(text)).toThrow(ConfigError);
    expect(() => parseFault(text)).toThrow(message);
  });
});

describe('parseFaults', () => {
  it('orders faults by start time', () => {
    expect(parseFaults(['pause-kafka@30s:10s', 'kill-server@20s']).map((f) => f.text)).toEqual(['kill-server@20s', 'pause-kafka@30s:10s']);
  });

  it('allows faults on different targets at once but not overlapping ones on one target', () => {
    expect(parseFaults(['pause-kafka@10s:10s', 'kill-redis@12s'])).toHaveLength(2);
    expect(parseFaults(['pause-kafka@10s:10s', 'kill-kafka@21s'])).toHaveLength(2);
    expect(() => parseFaults(['pause-kafka@10s:10s', 'kill-kafka@15s'])).toThrow(/overlap on kafka/);
    expect(() => parseFaults(['kill-server@5s', 'kill-server@5s'])).toThrow(/overlap on server#1/);
    expect(() => parseFaults(['kill-server@5s', 'kill-server#1@5s'])).toThrow(/overlap on server#1/);
    expect(parseFaults(['kill-server#2@5s:3s', 'kill-server#3@6s'])).toHaveLength(2);
  });

  it('bounds the number of faults', () => {
    expect(() => parseFaults(Array.from({ length: 21 }, (_, i) => `kill-redis@${i * 10}s`))).toThrow(/at most 20/);
  });
});

describe('parseDuration', () => {
  it('reads ms, s (the default unit) and m', () => {
    expect([parseDuration('250ms', 'x'), parseDuration('3', 'x'), parseDuration('0.5m', 'x')]).toEqual([250, 3000, 30_000]);
  });
});
