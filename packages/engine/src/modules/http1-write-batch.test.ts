import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { queueWrite } from './http1-write-batch.ts';

describe('queueWrite', () => {
  it('writes what one turn of the event loop queued together, after the turn, in order', async () => {
    const written: string[] = [];
    const w = (name: string) => ({ flushWrite: () => written.push(name) });
    queueWrite(w('a'));
    await Promise.resolve(); // a resumed iteration (a microtask) still belongs to the turn
    queueWrite(w('b'));
    queueWrite(w('c'));
    expect(written).toEqual([]);
    await nextTurn();
    expect(written).toEqual(['a', 'b', 'c']);
  });

  it('leaves a write queued while a batch is written to the next batch', async () => {
    const written: string[] = [];
    queueWrite({
      flushWrite: () => {
        written.push('first');
        queueWrite({ flushWrite: () => written.push('queued during the flush') });
      },
    });
    await nextTurn();
    expect(written).toEqual(['first']);
    await nextTurn();
    expect(written).toEqual(['first', 'queued during the flush']);
  });
});
