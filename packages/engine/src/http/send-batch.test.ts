import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { queueSend } from './send-batch.ts';

describe('queueSend', () => {
  it('writes what one turn of the event loop queued together, after the turn, in order', async () => {
    const written: string[] = [];
    const w = (name: string) => ({ flushSend: () => written.push(name) });
    queueSend(w('a'));
    await Promise.resolve(); // a resumed iteration (a microtask) still belongs to the turn
    queueSend(w('b'));
    queueSend(w('c'));
    expect(written).toEqual([]);
    await nextTurn();
    expect(written).toEqual(['a', 'b', 'c']);
  });

  it('writes after the turn\'s ticks and microtasks, not from one of them', async () => {
    const order: string[] = [];
    queueSend({ flushSend: () => order.push('sent') });
    process.nextTick(() => order.push('tick'));
    queueMicrotask(() => order.push('microtask'));
    await nextTurn();
    expect(order).toHaveLength(3);
    expect(order[2]).toBe('sent');
  });

  it('leaves a write queued while a batch is written to the next batch', async () => {
    const written: string[] = [];
    queueSend({
      flushSend: () => {
        written.push('first');
        queueSend({ flushSend: () => written.push('queued during the flush') });
      },
    });
    await nextTurn();
    expect(written).toEqual(['first']);
    await nextTurn();
    expect(written).toEqual(['first', 'queued during the flush']);
  });

  it('still sends the rest of a batch when one send throws', async () => {
    const written: string[] = [];
    const failure = new Error('a send that throws');
    const caught = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
    queueSend({ flushSend: () => written.push('before') });
    queueSend({
      flushSend: () => {
        throw failure;
      },
    });
    queueSend({ flushSend: () => written.push('after') });
    expect(await caught).toBe(failure);
    await nextTurn();
    expect(written).toEqual(['before', 'after']);
  });
});
