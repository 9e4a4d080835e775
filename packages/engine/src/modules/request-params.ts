/** Turns k6 request arguments (url, body, params) into what the client dispatches. */
import { parseDurationMs } from '../config/duration.ts';
import type { OutgoingRequest, RequestTarget, ResponseType } from '../http/outgoing-request.ts';
import type { HttpConfig } from './http-config.ts';
import { isResponseCallback, type ResponseCallback } from './expected-statuses.ts';

/** What http.url`…` returns: the real URL plus a name tag with `${}` placeholders. */
export class HttpUrl {
  constructor(
    readonly name: string,
    readonly url: string,
  ) {}
  toString(): string {
    return this.url;
  }
}

export function urlTemplate(strings: TemplateStringsArray, ...args: unknown[]): HttpUrl {
  let name = strings[0] ?? '';
  let url = strings[0] ?? '';
  args.forEach((a, i) => {
    name += `\${}${strings[i + 1] ?? ''}`;
    url += `${String(a)}${strings[i + 1] ?? ''}`;
  });
  return new HttpUrl(name, url);
}

export interface RequestParams {
  headers?: Record<string, string | number | boolean>;
  tags?: Record<string, string | number | boolean>;
  timeout?: string | number;
  responseType?: ResponseType;
  redirects?: number;
  responseCallback?: ResponseCallback | null;
  auth?: string;
  [other: string]: unknown;
}

/** The request the client sends, plus what k6/http does around it (tags, redirects, callback). */
export interface PreparedRequest extends OutgoingRequest {
  url: URL;
  target: Target;
  /** Value of the `url` and default `name` tags. */
  urlTag: string;
  nameTag: string;
  /** The body as the script gave it, for Response.request.body. */
  bodyText: string;
  maxRedirects: number;
  /** undefined: use the VU's callback; null: no expected_response/http_req_failed at all. */
  responseCallback: ResponseCallback | null | undefined;
  userTags: Record<string, string>;
  /** method, url, name and user tags: what the sample tags depend on besides the outcome. */
  shapeKey: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
// Shared by the requests that have none, so the hot path allocates nothing for them.
const NO_PARAMS: RequestParams = Object.freeze({});
const NO_TAGS: Record<string, string> = Object.freeze({});
const NO_BODY = Object.freeze({ body: null, text: '' });

export function prepareRequest(
  methodIn: unknown,
  urlIn: unknown,
  bodyIn: unknown,
  paramsIn: unknown,
  config: HttpConfig,
): PreparedRequest {
  const method = String(methodIn ?? 'GET').toUpperCase();
  const templ = urlIn instanceof HttpUrl ? urlIn : undefined;
  const target = parseTarget(templ ? templ.url : String(urlIn));
  const url = target.url;
  const params = (paramsIn ?? NO_PARAMS) as RequestParams;
  let userTags = NO_TAGS;
  if (params.tags) {
    userTags = {};
    for (const k in params.tags) userTags[k] = String(params.tags[k]);
  }

  const headers: string[] = [];
  let hasUA = false;
  let hasCT = false;
  let hasAuth = false;
  const given = params.headers;
  if (given) {
    for (const k in given) {
      const lk = k.toLowerCase();
      hasUA ||= lk === 'user-agent';
      hasCT ||= lk === 'content-type';
      hasAuth ||= lk === 'authorization';
      headers.push(k, String(given[k]));
    }
  }
  if (!hasUA && config.userAgent) headers.push('User-Agent', config.userAgent);
  // k6 (Go) sends URL credentials as basic auth.
  if (!hasAuth && target.basicAuth) headers.push('Authorization', target.basicAuth);
  const { body, text, contentType } = encodeBody(bodyIn);
  if (contentType && !hasCT) headers.push('Content-Type', contentType);

  return {
    method,
    url,
    target,
    urlTag: templ ? templ.name : target.display,
    nameTag: templ ? templ.name : target.display,
    headers,
    body,
    bodyText: text,
    timeoutMs: params.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDurationMs(params.timeout, 'request timeout'),
    responseType: params.responseType ?? (config.discardResponseBodies ? 'none' : 'text'),
    maxRedirects: params.redirects ?? config.maxRedirects,
    responseCallback: 'responseCallback' in params ? checkCallback(params.responseCallback) : undefined,
    userTags,
    shapeKey: templ || params.tags ? `${method} ${templ ? templ.name : target.display} ${JSON.stringify(userTags)}` : target.shapeKey(method),
  };
}

function checkCallback(cb: unknown): ResponseCallback | null {
  if (cb === null) return null;
  if (isResponseCallback(cb)) return cb;
  throw new Error('responseCallback must be the result of http.expectedStatuses() or null');
}

/** A parsed request URL and what the hot path needs from it, computed once per distinct URL. */
export interface Target extends RequestTarget {
  /** The URL as k6 tags it: without credentials. */
  readonly display: string;
  readonly basicAuth: string | undefined;
  /** Interned "METHOD url" for tag caching, so a plain request builds no string. */
  shapeKey(method: string): string;
}

const targets = new Map<string, Target>();
const MAX_TARGETS = 4096;

export function parseTarget(raw: string): Target {
  const hit = targets.get(raw);
  if (hit) return hit;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`invalid URL "${raw}": k6/http needs an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol scheme "${url.protocol}" in "${raw}"`);
  const cred = url.username || url.password ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
  const shapes = new Map<string, string>();
  const t: Target = {
    shapeKey(method) {
      let k = shapes.get(method);
      if (k === undefined) shapes.set(method, (k = `${method} ${this.display}`));
      return k;
    },
    url,
    origin: url.origin,
    path: url.pathname + url.search,
    display: displayUrl(url),
    basicAuth: cred === undefined ? undefined : `Basic ${Buffer.from(cred).toString('base64')}`,
  };
  // URLs with ids in them are unbounded; the cache only has to catch the repeated ones.
  if (targets.size >= MAX_TARGETS) targets.clear();
  targets.set(raw, t);
  return t;
}

export interface RequestInfo {
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: string;
  cookies: Record<string, never>;
}

/** What K6Response.request shows, built when a script first reads it. */
export function describeRequest(req: PreparedRequest): RequestInfo {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.headers.length; i += 2) (headers[req.headers[i] as string] ??= []).push(req.headers[i + 1] as string);
  return { method: req.method, url: req.target.display, headers, body: req.bodyText, cookies: {} };
}

/** The URL as k6 tags it: without credentials. */
export function displayUrl(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const u = new URL(url.href);
  u.username = '';
  u.password = '';
  return u.href;
}

function encodeBody(b: unknown): { body: string | Buffer | null; text: string; contentType?: string } {
  if (b === null || b === undefined) return NO_BODY;
  if (typeof b === 'string') return { body: b, text: b };
  if (b instanceof ArrayBuffer) return { body: Buffer.from(b), text: '' };
  if (ArrayBuffer.isView(b)) return { body: Buffer.from(b.buffer, b.byteOffset, b.byteLength), text: '' };
  if (typeof b === 'object') {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object' && 'data' in v) {
        throw new Error('multipart bodies (http.file) are not supported by the perf-lab engine');
      }
      form.append(k, String(v));
    }
    const text = form.toString();
    return { body: text, text, contentType: 'application/x-www-form-urlencoded' };
  }
  const text = String(b);
  return { body: text, text };
}
