import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// kafkajs's own request queue, as installed: patches/kafkajs+2.2.4.patch is applied by npm ci.
const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as new (options: object) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
};

const queue = () =>
  new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1000, enforceRequestTimeout: false, clientId: 'test', broker: 'test:0', logger: { debug() {} } });

describe('kafkajs request queue (patched)', () => {
  it('an idle queue arms no timer: unpatched, it re-armed a 1 ms one forever (kafkajs issues 1556, 1704)', () => {
    const idle = queue();
    idle.checkPendingRequests();
    expect(idle.throttleCheckTimeoutId).toBeNull();
  });

  it('a throttled queue still checks again when the throttle ends, and a pending request is still checked', () => {
    const throttled = queue();
    throttled.throttledUntil = Date.now() + 60_000;
    throttled.scheduleCheckPendingRequests();
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(throttled.throttleCheckTimeoutId!);

    const waiting = queue();
    waiting.pending.push({});
    waiting.scheduleCheckPendingRequests();
    expect(waiting.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(waiting.throttleCheckTimeoutId!);
  });
});
