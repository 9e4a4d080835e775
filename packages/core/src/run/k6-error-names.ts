/**
 * Short names of k6's documented error codes (its "Error codes" page), so a run says
 * "1212 connection refused" where the scenarios record `ERROR_1212`. HTTP statuses k6 counts
 * as errors (1000 + status) are named by their status.
 */
const NAMES: Readonly<Record<number, string>> = {
  1000: 'generic error',
  1010: 'non-TCP network error',
  1020: 'invalid URL',
  1050: 'request timeout',
  1100: 'DNS error',
  1101: 'no IP found for host',
  1110: 'blacklisted IP',
  1111: 'blacklisted hostname',
  1200: 'TCP error',
  1201: 'broken pipe on write',
  1202: 'error on write',
  1210: 'TCP dial error',
  1211: 'dial timeout',
  1212: 'connection refused',
  1213: 'dial error',
  1220: 'connection reset by peer',
  1300: 'TLS error',
  1310: 'unknown certificate authority',
  1311: 'certificate hostname mismatch',
  1600: 'HTTP/2 error',
  1610: 'HTTP/2 GoAway',
  1620: 'HTTP/2 stream error',
  1630: 'HTTP/2 connection error',
};

/** `ERROR_1212` → "1212 connection refused"; `HTTP_404_COUPON_NOT_FOUND` → "HTTP 404 COUPON_NOT_FOUND". */
export function reasonLabel(reason: string): string {
  const code = /^ERROR_(\d+)$/.exec(reason)?.[1];
  if (code) {
    const n = Number(code);
    const name = NAMES[n] ?? (n >= 1400 && n < 1600 ? `HTTP ${n - 1000}` : undefined);
    return name ? `${n} ${name}` : `k6 error ${n}`;
  }
  const http = /^HTTP_(\d{3})(?:_(.+))?$/.exec(reason);
  if (http) return `HTTP ${http[1]}${http[2] ? ` ${http[2]}` : ''}`;
  return reason;
}

/** "1234 × 1212 connection refused, 5 × 1050 request timeout (+2 more)", largest first. */
export function formatCauses(byReason: Readonly<Record<string, number>>, limit = 3): string {
  const sorted = Object.entries(byReason).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, limit).map(([reason, n]) => `${n} × ${reasonLabel(reason)}`);
  return sorted.length > limit ? `${shown.join(', ')} (+${sorted.length - limit} more)` : shown.join(', ');
}
