/**
 * An incremental HTTP/1.1 response parser for the engine's own client (http1-connection.ts):
 * status line and headers, then a body framed by Content-Length, chunked transfer coding or the
 * end of the connection (RFC 9112 §6.3), with 1xx interim responses skipped.
 *
 * It is written for the load generator's common case, a whole small response in one read: the
 * head is found with one `indexOf`, decoded once and split; bodies are handed on as
 * slices of the socket's buffer, never copied. Bytes are only buffered when a head or a chunk-size
 * line is split across reads.
 */

export interface ResponseEvents {
  /** The first byte of a (final or interim) response arrived. */
  onResponseStarted(): void;
  /** Flat [name, value, name, value…] list, names as the server wrote them. */
  onResponseHead(status: number, statusText: string, rawHeaders: readonly string[]): void;
  onBodyData(chunk: Buffer): void;
}

export class ResponseParseError extends Error {
  readonly code = 'HTTP1_PARSE_ERROR';
}

/** Go's default limit on response headers (http.Transport.MaxResponseHeaderBytes) is 10 MB; 1 MiB
 * is plenty for any API under test and bounds what a broken server can make us buffer. */
export const MAX_HEAD_BYTES = 1 << 20;

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CR = 13;
const LF = 10;

export class ResponseParser {
  private state = State.Done;
  private remaining = 0;
  private pending: Buffer | undefined;
  private started = false;
  private bodyless = false;
  /** Whether the connection may carry another request after this response. */
  keepAlive = false;
  /** Seconds from the server's `Keep-Alive: timeout=N`, or 0 when it gave none. */
  keepAliveTimeout = 0;
  private lastHeadText = '';
  private lastHead: ResponseHead | undefined;

  constructor(private readonly events: ResponseEvents) {}

  /** Arms the parser for the response to a new request; a HEAD response has no body. */
  expect(isHead: boolean): void {
    this.state = State.Head;
    this.remaining = 0;
    this.pending = undefined;
    this.started = false;
    this.bodyless = isHead;
    this.keepAlive = false;
    this.keepAliveTimeout = 0;
  }

  get complete(): boolean {
    return this.state === State.Done;
  }

  /** No byte of the response has arrived yet. */
  get untouched(): boolean {
    return !this.started;
  }

  /** Feeds the first `length` bytes of `input`, read from the socket. Returns true once the
   * response is complete; bytes left over after it (the server sent more than one response) make
   * the connection unusable. Body chunks passed on are views of `input`: whoever keeps one must
   * copy it when `input` is a reused read buffer. */
  execute(input: Buffer, length = input.length): boolean {
    let buf = input;
    let len = length;
    if (this.pending) {
      buf = Buffer.concat([this.pending, input.subarray(0, length)]);
      len = buf.length;
      this.pending = undefined;
    }
    let off = 0;
    if (!this.started && len > 0) {
      this.started = true;
      this.events.onResponseStarted();
    }
    while (off < len) {
      switch (this.state) {
        case State.Head: {
          // `buf` may be a reused read buffer: bytes past `len` are stale.
          const end = buf.indexOf(HEAD_END, off);
          if (end < 0 || end + 4 > len) return this.keep(buf, off, len, MAX_HEAD_BYTES, 'response headers');
          // UTF-8, as k6 (Go) turns header bytes into strings; framing headers are ASCII anyway.
          this.head(buf.toString('utf8', off, end));
          off = end + 4;
          break;
        }
        case State.Length:
        case State.ChunkData: {
          const take = Math.min(this.remaining, len - off);
          this.events.onBodyData(off === 0 && take === buf.length ? buf : buf.subarray(off, off + take));
          off += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = this.state === State.Length ? State.Done : State.ChunkDataEnd;
          break;
        }
        case State.ChunkSize: {
          const eol = buf.indexOf(LF, off);
          if (eol < 0 || eol >= len) return this.keep(buf, off, len, 4096, 'a chunk-size line');
          this.remaining = chunkSize(buf.toString('latin1', off, eol));
          off = eol + 1;
          this.state = this.remaining === 0 ? State.Trailers : State.ChunkData;
          break;
        }
        case State.ChunkDataEnd: {
          if (len - off < 2) return this.keep(buf, off, len, 2, 'a chunk end');
          if (buf[off] !== CR || buf[off + 1] !== LF) throw new ResponseParseError('malformed chunked body: missing CRLF after chunk data');
          off += 2;
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const eol = buf.indexOf(LF, off);
          if (eol < 0 || eol >= len) return this.keep(buf, off, len, MAX_HEAD_BYTES, 'trailers');
          const empty = eol === off || (eol === off + 1 && buf[off] === CR);
          off = eol + 1;
          if (empty) this.state = State.Done;
          break;
        }
        case State.UntilClose:
          this.events.onBodyData(off === 0 && len === buf.length ? buf : buf.subarray(off, len));
          off = len;
          break;
        case State.Done:
          // Bytes nobody asked for: the exchange is over but the connection cannot be trusted.
          this.keepAlive = false;
          return true;
      }
    }
    return this.state === State.Done;
  }

  /** The server closed the connection. True when that ends the response (a body read until
   * close); false when the response was cut short. */
  closed(): boolean {
    if (this.state === State.UntilClose) {
      this.state = State.Done;
      this.keepAlive = false;
      return true;
    }
    return this.state === State.Done;
  }

  private keep(buf: Buffer, off: number, len: number, limit: number, what: string): boolean {
    if (len - off > limit) throw new ResponseParseError(`${what} longer than ${limit} bytes`);
    this.pending = Buffer.from(buf.subarray(off, len));
    return false;
  }

  /** Sets the body framing from a head; an API's responses mostly repeat the previous head
   * (the Date header changes once a second), so the last one parsed is reused. */
  private head(text: string): void {
    let h = this.lastHead;
    if (h === undefined || this.lastHeadText !== text) {
      h = parseHead(text);
      this.lastHead = h;
      this.lastHeadText = text;
    }
    if (h.status < 200) {
      if (h.status === 101) throw new ResponseParseError('the server switched protocols (101): upgrades are not supported by k6/http');
      // An interim response (100 Continue, 103 Early Hints): the final one follows.
      return;
    }
    this.events.onResponseHead(h.status, h.statusText, h.rawHeaders);
    this.keepAlive = !h.connectionClose;
    this.keepAliveTimeout = h.keepAliveTimeout;
    if (this.bodyless || h.status === 204 || h.status === 304) {
      this.state = State.Done;
    } else if (h.transferEncoded) {
      // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; a final coding other than
      // chunked is delimited by the close of the connection.
      this.state = h.chunked ? State.ChunkSize : State.UntilClose;
      if (!h.chunked || h.contentLength >= 0) this.keepAlive = false;
    } else if (h.contentLength >= 0) {
      this.remaining = h.contentLength;
      this.state = h.contentLength === 0 ? State.Done : State.Length;
    } else {
      this.state = State.UntilClose;
      this.keepAlive = false;
    }
  }
}

interface ResponseHead {
  status: number;
  statusText: string;
  /** Shared by every response that repeats this head: read, never written. */
  rawHeaders: readonly string[];
  contentLength: number;
  chunked: boolean;
  transferEncoded: boolean;
  connectionClose: boolean;
  keepAliveTimeout: number;
}

/** Parses a status line and header block (without the final CRLF CRLF). */
function parseHead(text: string): ResponseHead {
  const lines = text.split('\r\n');
  const statusLine = lines[0] as string;
  // "HTTP/1.x SSS reason"
  if (!statusLine.startsWith('HTTP/1.') || statusLine.charCodeAt(8) !== 32) throw new ResponseParseError(`malformed status line "${statusLine.slice(0, 64)}"`);
  const http10 = statusLine.charCodeAt(7) === 48; // '0'
  const status = Number(statusLine.slice(9, 12));
  if (!Number.isInteger(status) || status < 100 || status > 999 || (statusLine.length > 12 && statusLine.charCodeAt(12) !== 32)) {
    throw new ResponseParseError(`malformed status line "${statusLine.slice(0, 64)}"`);
  }
  const h: ResponseHead = {
    status,
    statusText: statusLine.length > 13 ? statusLine.slice(13) : '',
    rawHeaders: [],
    contentLength: -1,
    chunked: false,
    transferEncoded: false,
    connectionClose: http10,
    keepAliveTimeout: 0,
  };
  const raw: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) throw new ResponseParseError(`malformed header line "${line.slice(0, 64)}"`);
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    raw.push(name, value);
    switch (name.length) {
      case 10:
        if (name.toLowerCase() === 'connection') {
          const v = value.toLowerCase();
          if (v.includes('close')) h.connectionClose = true;
          else if (http10 && v.includes('keep-alive')) h.connectionClose = false;
        } else if (name.toLowerCase() === 'keep-alive') {
          const m = /timeout=(\d+)/i.exec(value);
          if (m) h.keepAliveTimeout = Number(m[1]);
        }
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') {
          if (!/^\d+$/.test(value)) throw new ResponseParseError(`invalid Content-Length "${value.slice(0, 32)}"`);
          const n = Number(value);
          if (h.contentLength >= 0 && h.contentLength !== n) throw new ResponseParseError('conflicting Content-Length headers');
          h.contentLength = n;
        }
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') {
          h.transferEncoded = true;
          const codings = value.toLowerCase().split(',');
          h.chunked = (codings[codings.length - 1] as string).trim() === 'chunked';
        }
        break;
    }
  }
  h.rawHeaders = raw;
  return h;
}

/** "1a;ext=1\r" → 26 */
function chunkSize(line: string): number {
  let end = line.length;
  if (line.charCodeAt(end - 1) === CR) end--;
  const semi = line.indexOf(';');
  if (semi >= 0 && semi < end) end = semi;
  const hex = line.slice(0, end).trim();
  if (!/^[0-9a-fA-F]{1,15}$/.test(hex)) throw new ResponseParseError(`malformed chunk size "${line.slice(0, 32)}"`);
  return Number.parseInt(hex, 16);
}
