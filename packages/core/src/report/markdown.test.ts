import { describe, expect, it } from 'vitest';
import { ms, num, table } from './markdown.ts';

describe('markdown table', () => {
  it('writes a header, a separator with one cell per column, and one line per row', () => {
    expect(table(['a', 'b'], [[1, 'x'], [2, 'y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x |\n| 2 | y |');
  });

  it('escapes pipes and flattens newlines so a cell never breaks the layout', () => {
    const out = table(['reason'], [['a|b\nc']]);
    expect(out.split('\n')).toHaveLength(3);
    expect(out.split('\n')[2]).toBe('| a\\|b c |');
  });

  it('renders a table with no rows as header and separator only', () => {
    expect(table(['x'], [])).toBe('| x |\n| --- |');
  });
});

describe('number formatting', () => {
  it('groups thousands and fixes the digits', () => {
    expect(num(1234567)).toBe('1,234,567');
    expect(num(1234.5, 2)).toBe('1,234.50');
    expect(num(0.125, 2)).toBe('0.13');
  });

  it('writes milliseconds with two decimals and the unit', () => {
    expect(ms(12)).toBe('12.00 ms');
    expect(ms(1500.456)).toBe('1,500.46 ms');
  });
});
