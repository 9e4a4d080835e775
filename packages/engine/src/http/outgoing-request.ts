/**
 * What the HTTP client sends and needs to know about it. k6/http builds it (with the tags,
 * redirect and callback settings the client never reads) in modules/request-params.ts.
 */

/** What to keep of the response body: 'none' counts its bytes and drops it. */
export type ResponseType = 'text' | 'binary' | 'none';

/** Where a request goes: parsed once per distinct URL (see modules/request-params.ts). */
export interface RequestTarget {
  readonly url: URL;
  readonly origin: string;
  /** Path and query, as written on the request line. */
  readonly path: string;
}

export interface OutgoingRequest {
  method: string;
  target: RequestTarget;
  /** Flat [name, value, …] list, in the order they are written. */
  headers: string[];
  body: string | Buffer | null;
  /** k6's `timeout`: the whole request, from dispatch to the last byte. */
  timeoutMs: number;
  responseType: ResponseType;
}
