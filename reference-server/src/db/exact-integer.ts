import { AppError } from '../errors.ts';

/**
 * Money is carried as JavaScript numbers, exact only up to 2^53 − 1 (BIGINT goes to 2^63 − 1).
 * The server therefore refuses any write that would take an amount past that range (400
 * AMOUNT_OUT_OF_RANGE), and reads BIGINTs with mysql2's supportBigNumbers, so a value already
 * past it arrives as a string and is refused here rather than rounded into a wrong answer.
 */
export const MAX_EXACT = Number.MAX_SAFE_INTEGER;

export function exactInteger(value: unknown, what: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new AppError('AMOUNT_OUT_OF_RANGE', `${what} is beyond 2^53 - 1, the largest exact integer`);
  return n;
}
