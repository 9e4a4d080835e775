/**
 * k6/http for async VUs: `asyncRequest` does the work; the blocking calls (get, post, batch…) are
 * awaited where the load-time transform rewrote the script (k6-http-blocking.ts).
 */
import type { ModuleVu } from './module-vu.ts';
import { UnsupportedApiError } from './script-errors.ts';
import { classifyError, statusErrorCode } from '../http/http-errors.ts';
import { never } from './k6-core.ts';
import { createBlockingHttpFunctions } from './k6-http-blocking.ts';
import { expectedStatuses, isExpected, isResponseCallback, type ResponseCallback } from './expected-statuses.ts';
import { K6Response } from './http-response.ts';
import { parseTarget, prepareRequest, urlTemplate, type PreparedRequest, type Target } from './request-params.ts';
import type { Exchange, ExchangeOwner } from '../http/exchange.ts';
import type { Tags } from '../metrics/metric-types.ts';
import { failedRequestText } from './request-failure-log.ts';

/** What this module uses of its VU (module-vu.ts). */
export type HttpVu = Pick<ModuleVu, 'bytesReceived' | 'bytesSent' | 'deriveTags' | 'findDerivedTags' | 'http' | 'interrupted' | 'phase' | 'responseCallback' | 'run'>;

export function createHttpModule(vu: HttpVu): Record<string, unknown> {
  return {
    asyncRequest: (method: unknown, url: unknown, body?: unknown, params?: unknown) => asyncRequest(vu, method, url, body, params),
    ...createBlockingHttpFunctions(vu, (method, url, body, params) => asyncRequest(vu, method, url, body, params)),
    url: urlTemplate,
    expectedStatuses,
    setResponseCallback: (cb: unknown) => {
      if (cb !== null && !isResponseCallback(cb)) throw new Error('setResponseCallback() takes the result of http.expectedStatuses() or null');
      vu.responseCallback = cb;
    },
    file: () => {
      throw new UnsupportedApiError('http.file() (multipart uploads) is not supported by the perf-lab engine');
    },
    cookieJar: () => {
      throw new UnsupportedApiError('http.cookieJar() is not supported by the perf-lab engine (cookies are not stored)');
    },
    TLS_1_0: 'tls1.0',
    TLS_1_1: 'tls1.1',
    TLS_1_2: 'tls1.2',
    TLS_1_3: 'tls1.3',
  };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function asyncRequest(vu: HttpVu, method: unknown, url: unknown, body: unknown, params: unknown): Promise<K6Response> {
  if (vu.interrupted) return never();
  if (vu.phase === 'init') return Promise.reject(new Error('Making http requests in the init context is not supported'));
  let req: PreparedRequest;
  try {
    req = prepareRequest(method, url, body, params, vu.run.http);
  } catch (err) {
    return Promise.reject(err);
  }
  const callback = req.responseCallback === undefined ? vu.responseCallback : req.responseCallback;
  return new Promise<K6Response>((resolve, reject) => new RequestFlight(vu, callback, resolve, reject).send(req));
}

/**
 * One asyncRequest call, redirects included: an object the client calls back, rather than an
 * async function awaiting a promise per exchange, which saves a promise and a resumed frame on
 * every request. Its promise never settles once the VU is interrupted.
 */
class RequestFlight implements ExchangeOwner {
  private hops = 0;
  private req: PreparedRequest | undefined;

  constructor(
    private readonly vu: HttpVu,
    private readonly callback: ResponseCallback | null,
    private readonly resolve: (r: K6Response) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  send(req: PreparedRequest): void {
    if (this.vu.interrupted) return; // a redirect queued before the VU was cut off
    this.req = req;
    this.vu.http.dispatch(req, this);
  }

  exchangeDone(ex: Exchange): void {
    const { vu, req } = this;
    if (vu.interrupted || !req) return;
    try {
      const response = record(vu, req, ex, this.callback);
      const location = !ex.error && REDIRECTS.has(ex.status) ? header(ex.rawHeaders, 'location') : undefined;
      if (location && this.hops < req.maxRedirects) {
        this.hops++;
        const next = redirectTo(req, parseTarget(new URL(location, req.url).href), ex.status);
        // Not from inside the client's callback: the next hop starts on a clean stack.
        queueMicrotask(() => this.send(next));
        return;
      }
      if (response.error && vu.run.http.throwOnError) this.reject(thrownFailure(req, response.error));
      else {
        // As k6: a warning per request without a response, unless `throw` made it an exception.
        if (response.error) vu.run.requestFailures.report(req.method, req.target.display, response.error);
        this.resolve(response);
      }
    } catch (err) {
      this.reject(err);
    }
  }
}

/** `throw`'s exception: k6's text, and no stack, as the one an I/O callback has says nothing of the script. */
function thrownFailure(req: PreparedRequest, error: string): Error {
  const err = new Error(failedRequestText(req.method, req.target.display, error));
  err.stack = `Error: ${err.message}`;
  return err;
}

function record(vu: HttpVu, req: PreparedRequest, ex: Exchange, callback: ResponseCallback | null): K6Response {
  const t = ex.timings();
  let errorCode = 0;
  let error = '';
  if (ex.error) {
    const k = classifyError(ex.error);
    errorCode = k.code;
    error = k.message;
  } else {
    errorCode = statusErrorCode(ex.status);
  }
  const status = ex.error ? 0 : ex.status;
  const expected = callback ? !ex.error && isExpected(callback, status) : undefined;
  // status, expected_response and error_code packed in one number; a network error's message
  // (its own tag) joins the string key, but those are rare.
  const code = (status * 4 + (expected === undefined ? 0 : expected ? 1 : 2)) * 10_000 + errorCode;
  const key = error ? `${req.shapeKey}\u0000${error}` : req.shapeKey;
  const tags = vu.findDerivedTags(key, code) ?? vu.deriveTags(key, code, sampleTags(req, status, expected, errorCode, error));

  const m = vu.run.metrics;
  m.httpReqs.add(1, tags);
  m.httpReqDuration.add(t.duration, tags);
  m.httpReqBlocked.add(t.blocked, tags);
  m.httpReqConnecting.add(t.connecting, tags);
  m.httpReqTlsHandshaking.add(t.tls_handshaking, tags);
  m.httpReqSending.add(t.sending, tags);
  m.httpReqWaiting.add(t.waiting, tags);
  m.httpReqReceiving.add(t.receiving, tags);
  if (expected !== undefined) m.httpReqFailed.add(expected ? 0 : 1, tags);
  vu.bytesSent += ex.wireBytesOut >= 0 ? ex.wireBytesOut : requestBytes(req);
  vu.bytesReceived += ex.wireBytesIn >= 0 ? ex.wireBytesIn : responseBytes(ex);

  let responseBody: string | ArrayBuffer | null = null;
  if (!ex.error && req.responseType !== 'none') {
    const buf = ex.body();
    responseBody = req.responseType === 'binary' ? new Uint8Array(buf).slice().buffer : buf.toString('utf8');
  }
  return new K6Response(
    req.target.display,
    status,
    status ? `${status} ${ex.statusText}` : '',
    ex.error ? null : ex.rawHeaders,
    responseBody,
    t,
    error,
    errorCode,
    req,
  );
}

function sampleTags(req: PreparedRequest, status: number, expected: boolean | undefined, errorCode: number, error: string): Tags {
  const t: Tags = { method: req.method, url: req.urlTag, name: req.nameTag, proto: 'HTTP/1.1', ...req.userTags, status: String(status) };
  if (expected !== undefined) t.expected_response = String(expected);
  if (errorCode) t.error_code = String(errorCode);
  if (error) t.error = error;
  return t;
}

function redirectTo(req: PreparedRequest, to: Target, status: number): PreparedRequest {
  // Go's client (and so k6) turns 301/302/303 of a non-GET into a bodyless GET; 307/308 replay.
  const toGet = status === 303 || ((status === 301 || status === 302) && req.method !== 'GET' && req.method !== 'HEAD');
  const headers: string[] = [];
  for (let i = 0; i + 1 < req.headers.length; i += 2) {
    const k = (req.headers[i] as string).toLowerCase();
    if (toGet && (k === 'content-type' || k === 'content-length')) continue;
    if (k === 'authorization' && to.origin !== req.target.origin) continue;
    headers.push(req.headers[i] as string, req.headers[i + 1] as string);
  }
  return {
    ...req,
    method: toGet ? (req.method === 'HEAD' ? 'HEAD' : 'GET') : req.method,
    body: toGet ? null : req.body,
    bodyText: toGet ? '' : req.bodyText,
    headers,
    url: to.url,
    target: to,
    urlTag: to.display,
    nameTag: to.display,
  };
}

function header(raw: ReadonlyArray<Buffer | string> | null, name: string): string | undefined {
  if (!raw) return undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) if (String(raw[i]).toLowerCase() === name) return String(raw[i + 1]);
  return undefined;
}

/** undici's requests: the HTTP/1.1 message as it writes it: request line, headers (with those it
 * adds), body. */
function requestBytes(req: PreparedRequest): number {
  const bodyLen = req.body === null ? 0 : typeof req.body === 'string' ? Buffer.byteLength(req.body) : req.body.length;
  let n = req.method.length + req.target.path.length + 12; // "M P HTTP/1.1\r\n"
  n += 8 + req.url.host.length; // "host: …\r\n"
  n += 24; // "connection: keep-alive\r\n"
  for (let i = 0; i + 1 < req.headers.length; i += 2) n += (req.headers[i] as string).length + (req.headers[i + 1] as string).length + 4;
  if (bodyLen > 0) n += 18 + String(bodyLen).length;
  return n + 2 + bodyLen;
}

/** undici's responses: the message rebuilt from the status line, raw headers and body length. */
function responseBytes(ex: Exchange): number {
  if (!ex.rawHeaders) return ex.bodyBytes;
  let n = 13 + ex.statusText.length + 2; // "HTTP/1.1 200 OK\r\n"
  for (const b of ex.rawHeaders) n += b.length;
  n += (ex.rawHeaders.length / 2) * 4 + 2;
  return n + ex.bodyBytes;
}
