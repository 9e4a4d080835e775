/**
 * k6 duration strings ("1m30s", "500ms", "2h") ↔ seconds, for reshaping profiles. The unit is in
 * the name because the engine's own parser returns milliseconds.
 */
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

export function parseDurationSeconds(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new Error(`invalid duration "${text}" — expected e.g. 30s, 1m30s, 500ms`);
  }
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (UNIT_SECONDS[unit ?? 's'] ?? 1), 0);
}

export function formatDurationSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const whole = Math.round(seconds);
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  return m > 0 ? (s > 0 ? `${m}m${s}s` : `${m}m`) : `${s}s`;
}
