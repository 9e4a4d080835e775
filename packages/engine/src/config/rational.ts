/**
 * Exact fractions for execution-segment arithmetic: "1/3" must stay 1/3, or the shares of three
 * instances would not add up to the whole test.
 */
export interface Rational {
  readonly n: number;
  readonly d: number;
}

export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

export function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

export function rational(n: number, d = 1): Rational {
  if (d === 0) throw new Error('division by zero in fraction');
  const g = gcd(n, d) || 1;
  const sign = d < 0 ? -1 : 1;
  return { n: (sign * n) / g, d: (sign * d) / g };
}

export function sub(a: Rational, b: Rational): Rational {
  return rational(a.n * b.d - b.n * a.d, a.d * b.d);
}

export function compare(a: Rational, b: Rational): number {
  return a.n * b.d - b.n * a.d;
}

export function toNumber(a: Rational): number {
  return a.n / a.d;
}

export function formatRational(a: Rational): string {
  return a.d === 1 ? String(a.n) : `${a.n}/${a.d}`;
}

/** Parses "1/3", "0.25", "25%", "1" (k6's accepted spellings of a segment boundary). */
export function parseRational(text: string): Rational {
  const t = text.trim();
  if (t.endsWith('%')) {
    const r = parseDecimal(t.slice(0, -1));
    return rational(r.n, r.d * 100);
  }
  const slash = t.indexOf('/');
  if (slash >= 0) {
    const n = Number(t.slice(0, slash));
    const d = Number(t.slice(slash + 1));
    if (!Number.isInteger(n) || !Number.isInteger(d) || d <= 0) throw new Error(`invalid fraction "${text}"`);
    return rational(n, d);
  }
  return parseDecimal(t);
}

function parseDecimal(t: string): Rational {
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(t)) throw new Error(`invalid number "${t}" in execution segment`);
  const [int = '0', frac = ''] = t.split('.');
  const d = 10 ** frac.length;
  return rational(Number(int || '0') * d + Number(frac || '0'), d);
}
