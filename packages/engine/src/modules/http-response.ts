/** k6's http Response object, built from a finished exchange. Headers are parsed on first use. */
import type { ResponseTimings } from '../http/exchange.ts';
import { describeRequest, type PreparedRequest, type RequestInfo } from './request-params.ts';

/** Go's CanonicalMIMEHeaderKey: "content-type" → "Content-Type", as k6 reports header names. */
export function canonicalHeaderKey(name: string): string {
  let out = '';
  let upper = true;
  for (const ch of name) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

/** Cookies are not stored (see the README), so every response shares one empty, frozen object. */
const NO_COOKIES: Readonly<Record<string, never>> = Object.freeze({});

export class K6Response {
  readonly proto = 'HTTP/1.1';
  readonly cookies: Readonly<Record<string, never>> = NO_COOKIES;
  remote_ip = '';
  remote_port = 0;
  private parsedHeaders: Record<string, string> | undefined;
  private parsedJson: { value: unknown } | undefined;
  private requestInfo: RequestInfo | undefined;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly status_text: string,
    private readonly rawHeaders: ReadonlyArray<Buffer | string> | null,
    readonly body: string | ArrayBuffer | null,
    readonly timings: ResponseTimings,
    readonly error: string,
    readonly error_code: number,
    private readonly sent: PreparedRequest,
  ) {}

  /** What was sent; built on first use since few scripts look at it. */
  get request(): RequestInfo {
    this.requestInfo ??= describeRequest(this.sent);
    return this.requestInfo;
  }

  get headers(): Record<string, string> {
    if (this.parsedHeaders) return this.parsedHeaders;
    const h: Record<string, string> = {};
    const raw = this.rawHeaders ?? [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const key = canonicalHeaderKey(String(raw[i]));
      const value = String(raw[i + 1]);
      h[key] = key in h ? `${h[key]}, ${value}` : value;
    }
    this.parsedHeaders = h;
    return h;
  }

  json(selector?: string): unknown {
    if (!this.parsedJson) {
      if (typeof this.body !== 'string') throw new Error('the body is null so we can\'t transform it to JSON - this likely was because of a request error getting the response');
      this.parsedJson = { value: JSON.parse(this.body) };
    }
    return selector === undefined ? this.parsedJson.value : selectPath(this.parsedJson.value, selector);
  }

  html(): never {
    throw new Error('Response.html() (k6/html) is not supported by the perf-lab engine');
  }

  clickLink(): never {
    throw new Error('Response.clickLink() is not supported by the perf-lab engine');
  }

  submitForm(): never {
    throw new Error('Response.submitForm() is not supported by the perf-lab engine');
  }
}

/** A small subset of gjson paths: "a.b.0.c" and "items.#" (array length); undefined when absent. */
export function selectPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    if (part === '#' && Array.isArray(cur)) {
      cur = cur.length;
      continue;
    }
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
