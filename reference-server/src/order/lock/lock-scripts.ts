import { readFileSync } from 'node:fs';
import type { Redis, Result } from 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Keys: (lock, fence) per acquisition; args: lease ms, then a token per acquisition. */
    orderLockAcquire(numKeys: number, ...keysThenArgs: string[]): Result<number[], Context>;
    /** Keys: a lock per release; args: the release channel, then a token per release. */
    orderLockRelease(numKeys: number, ...keysThenArgs: string[]): Result<(0 | 1)[], Context>;
    orderLockExtend(lock: string, token: string, leaseMs: string): Result<0 | 1, Context>;
    orderLockRaiseFence(lock: string, fence: string, token: string, floor: string): Result<number, Context>;
  }
}

const lua = (name: string): string => readFileSync(new URL(`../lua/${name}.lua`, import.meta.url), 'utf8');

/** Registers the lock scripts once per client; ioredis runs them by EVALSHA, EVAL on NOSCRIPT. */
export function defineOrderLockCommands(redis: Redis): void {
  if (typeof redis.orderLockAcquire === 'function') return;
  // No numberOfKeys: a call passes its key count first (a batch has any number of locks).
  redis.defineCommand('orderLockAcquire', { lua: lua('order-lock-acquire') });
  redis.defineCommand('orderLockRelease', { lua: lua('order-lock-release') });
  redis.defineCommand('orderLockExtend', { numberOfKeys: 1, lua: lua('order-lock-extend') });
  redis.defineCommand('orderLockRaiseFence', { numberOfKeys: 2, lua: lua('order-lock-raise-fence') });
}
