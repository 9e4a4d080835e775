/**
 * k6 durations, in milliseconds (the engine's unit of time throughout): Go's
 * `time.ParseDuration` syntax ("1m30s", "500ms", "1.5h") or a bare number of milliseconds
 * (what k6 accepts for numeric option values).
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000, // not Go, but k6 accepts days in options
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;

export type DurationInput = string | number;

/** The duration in milliseconds; `what` names the option in the error. */
export function parseDurationMs(input: DurationInput, what = 'duration'): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new Error(`invalid ${what}: ${input}`);
    return input;
  }
  const text = input.trim();
  // Go rejects unit-less strings except "0"; so does k6, so we do too.
  if (text === '0') return 0;
  if (text === '') throw new Error(`invalid ${what}: empty string`);
  let pos = 0;
  let total = 0;
  const negative = text.startsWith('-');
  if (negative || text.startsWith('+')) pos = 1;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m || m[1] === undefined || m[2] === undefined) {
      throw new Error(`invalid ${what} "${input}": expected e.g. "30s", "1m30s" or "500ms"`);
    }
    total += Number.parseFloat(m[1]) * (UNIT_MS[m[2]] ?? Number.NaN);
    pos = PART.lastIndex;
  }
  if (negative) throw new Error(`invalid ${what} "${input}": must not be negative`);
  return total;
}

/** Optional variant for option fields that have a default. */
export function durationMsOr(input: DurationInput | undefined, fallbackMs: number, what?: string): number {
  return input === undefined || input === null ? fallbackMs : parseDurationMs(input, what);
}
