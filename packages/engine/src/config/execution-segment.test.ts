import { describe, expect, it } from 'vitest';
import { buildStripes, equalSegments, globalIndex, ownsIndex, parseExecutionSegment, parseExecutionSegmentSequence, scaleInt } from './execution-segment.ts';
import { toNumber } from './rational.ts';

describe('execution segments', () => {
  it('parses fractions, decimals, percentages and a lone end', () => {
    const s = parseExecutionSegment('1/3:2/3');
    expect([toNumber(s.from), toNumber(s.to)]).toEqual([1 / 3, 2 / 3]);
    expect(toNumber(parseExecutionSegment('25%:0.5').from)).toBe(0.25);
    expect(toNumber(parseExecutionSegment('1/4').from)).toBe(0);
    expect(() => parseExecutionSegment('2/3:1/3')).toThrow(/from < to/);
    expect(() => parseExecutionSegmentSequence('0,2/3,1/3,1')).toThrow(/increase/);
  });

  it('splits integers so the shares always add up to the whole', () => {
    const seq = parseExecutionSegmentSequence('0,1/3,2/3,1');
    const stripes = ['0:1/3', '1/3:2/3', '2/3:1'].map((t) => buildStripes(parseExecutionSegment(t), seq));
    for (const value of [0, 1, 2, 3, 4, 5, 10, 17, 100, 1001]) {
      const shares = stripes.map((s) => scaleInt(s, value));
      expect(shares.reduce((a, b) => a + b, 0)).toBe(value);
      for (const share of shares) expect(Math.abs(share - value / 3)).toBeLessThanOrEqual(1);
    }
  });

  it('handles uneven sequences', () => {
    const seq = parseExecutionSegmentSequence('0,1/4,1/2,1');
    const stripes = ['0:1/4', '1/4:1/2', '1/2:1'].map((t) => buildStripes(parseExecutionSegment(t), seq));
    expect(stripes.map((s) => scaleInt(s, 8))).toEqual([2, 2, 4]);
    expect(stripes.map((s) => scaleInt(s, 3)).reduce((a, b) => a + b)).toBe(3);
    expect(scaleInt(stripes[2]!, 1)).toBe(1); // the biggest segment takes the first unit
  });

  it('gives every global index exactly one owner, and maps local indexes to them', () => {
    const { segments, sequence } = equalSegments(3);
    const stripes = segments.map((s) => buildStripes(s, sequence));
    const owners = Array.from({ length: 30 }, (_, i) => stripes.filter((s) => ownsIndex(s, i)).length);
    expect(owners.every((n) => n === 1)).toBe(true);
    const globals = stripes.flatMap((s) => Array.from({ length: 10 }, (_, k) => globalIndex(s, k)));
    expect(new Set(globals).size).toBe(30);
    for (const s of stripes) for (let k = 0; k < 10; k++) expect(ownsIndex(s, globalIndex(s, k))).toBe(true);
  });

  // Worked out by hand from k6's documented striping (the top of execution-segment.ts): at each
  // slot the segments are tried biggest first, and the first whose share of the slots so far
  // exceeds what it owns takes it.
  it.each([
    { sequence: '0,1/3,2/3,1', owners: [0, 1, 2] },
    { sequence: '0,1/4,1/2,1', owners: [2, 0, 2, 1] },
    { sequence: '0,2/5,4/5,1', owners: [0, 1, 2, 0, 1] },
    { sequence: '0,0.3,0.5,0.6,0.7,0.8,0.9,1', owners: [0, 1, 2, 3, 0, 1, 4, 0, 5, 6] },
    // No sequence: k6 fills in 0,from,to,1 (here 0:1/2 and 1/2:1).
    { sequence: '', owners: [0, 1] },
  ])('deals the slots of $sequence as k6 does', ({ sequence, owners }) => {
    const first = sequence ? `0:${sequence.split(',')[1]}` : '0:1/2';
    const stripes = buildStripes(parseExecutionSegment(first), sequence ? parseExecutionSegmentSequence(sequence) : undefined);
    expect(stripes.slotOwner).toEqual(owners);
  });

  it.each([
    // Owners [2,0,2,1]: value 1..4 then a cycle and three more.
    { value: 1, shares: [0, 0, 1] },
    { value: 2, shares: [1, 0, 1] },
    { value: 3, shares: [1, 0, 2] },
    { value: 4, shares: [1, 1, 2] },
    { value: 7, shares: [2, 1, 4] },
  ])('scales $value over 0,1/4,1/2,1 to $shares', ({ value, shares }) => {
    const seq = parseExecutionSegmentSequence('0,1/4,1/2,1');
    const stripes = ['0:1/4', '1/4:1/2', '1/2:1'].map((t) => buildStripes(parseExecutionSegment(t), seq));
    expect(stripes.map((s) => scaleInt(s, value))).toEqual(shares);
  });

  it('defaults to the whole test', () => {
    const full = buildStripes(parseExecutionSegment(undefined));
    expect(scaleInt(full, 7)).toBe(7);
    expect(globalIndex(full, 5)).toBe(5);
  });

  it('builds the minimal sequence when none is given', () => {
    const half = buildStripes(parseExecutionSegment('1/2:1'));
    expect(scaleInt(half, 10)).toBe(5);
    expect(() => buildStripes(parseExecutionSegment('0:1/3'), parseExecutionSegmentSequence('0,1/2,1'))).toThrow(/not part of the sequence/);
  });
});
