/**
 * Maps Node/undici errors to k6's documented error codes (1000 generic, 1050 timeout, 11xx DNS,
 * 12xx TCP, 13xx TLS) and HTTP 4xx/5xx statuses to 1000 + status, as k6 does.
 */

export interface K6Error {
  code: number;
  message: string;
}

const BY_CODE: Readonly<Record<string, number>> = {
  K6_REQUEST_TIMEOUT: 1050,
  UND_ERR_HEADERS_TIMEOUT: 1050,
  UND_ERR_BODY_TIMEOUT: 1050,
  ERR_INVALID_URL: 1020,
  ENOTFOUND: 1101,
  EAI_AGAIN: 1100,
  EAI_FAIL: 1100,
  ECONNREFUSED: 1212,
  ETIMEDOUT: 1211,
  UND_ERR_CONNECT_TIMEOUT: 1211,
  EHOSTUNREACH: 1210,
  ENETUNREACH: 1210,
  ECONNRESET: 1220,
  EPIPE: 1201,
  UND_ERR_SOCKET: 1000,
  DEPTH_ZERO_SELF_SIGNED_CERT: 1310,
  SELF_SIGNED_CERT_IN_CHAIN: 1310,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 1310,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 1310,
  CERT_HAS_EXPIRED: 1300,
  ERR_TLS_CERT_ALTNAME_INVALID: 1311,
};

export function classifyError(err: Error & { code?: string; cause?: unknown }): K6Error {
  const cause = err.cause as (Error & { code?: string }) | undefined;
  const code = (err.code && BY_CODE[err.code]) || (cause?.code && BY_CODE[cause.code]) || 1000;
  const detail = err.code === 'K6_REQUEST_TIMEOUT' ? 'request timeout' : describe(err);
  return { code, message: detail };
}

function describe(err: Error & { code?: string; cause?: unknown }): string {
  const cause = err.cause as (Error & { code?: string }) | undefined;
  const base = err.message || err.code || 'unknown error';
  return cause?.message && !base.includes(cause.message) ? `${base}: ${cause.message}` : base;
}

export function statusErrorCode(status: number): number {
  return status >= 400 && status < 600 ? 1000 + status : 0;
}
