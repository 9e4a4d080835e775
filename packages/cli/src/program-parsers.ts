import { InvalidArgumentError } from 'commander';

/** commander argument parsers: a bad value is a usage error that names what was expected. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected an integer ≥ 0');
  return n;
}

export function positiveFloat(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number above 0');
  return n;
}

/** A tolerated drop: 1 or more would put the floor at or below zero and disable the check. */
export function dropFraction(value: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError('expected a fraction from 0 up to (not including) 1, e.g. 0.3 for 30 %');
  return n;
}

/** A tolerated rise: any fraction ≥ 0 (1 = up to twice the baseline). */
export function riseFraction(value: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a fraction ≥ 0, e.g. 0.5 for 50 %');
  return n;
}

/** For repeatable options: --set a=1 --set b=2. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
