import { describe, expect, it } from 'vitest';
import { engineSegment, parseLoadSegment } from './load-segment.ts';

describe('--segment INDEX/COUNT', () => {
  it('maps a 0-based index of COUNT equal parts to the engine segment and sequence', () => {
    expect(engineSegment(parseLoadSegment('0/3'))).toEqual({ segment: '0:1/3', sequence: '0,1/3,2/3,1' });
    expect(engineSegment(parseLoadSegment('2/3'))).toEqual({ segment: '2/3:1', sequence: '0,1/3,2/3,1' });
    expect(engineSegment(parseLoadSegment('0/1'))).toEqual({ segment: '0:1', sequence: '0,1' });
  });

  it('refuses an index outside the parts, and other shapes', () => {
    for (const bad of ['3/3', '1/0', '-1/3', '1:3', 'a/b', '']) expect(() => parseLoadSegment(bad), bad).toThrow(/--segment expects INDEX\/COUNT/);
  });
});
