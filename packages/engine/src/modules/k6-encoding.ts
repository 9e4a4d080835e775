/** k6/encoding: base64 in k6's four flavours (std, rawstd, url, rawurl). */

type Flavour = 'std' | 'rawstd' | 'url' | 'rawurl';

function toBuffer(input: unknown): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  if (input instanceof ArrayBuffer) return Buffer.from(input);
  if (ArrayBuffer.isView(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  throw new Error('b64encode takes a string or an ArrayBuffer');
}

export function b64encode(input: unknown, encoding: Flavour = 'std'): string {
  const buf = toBuffer(input);
  const url = encoding === 'url' || encoding === 'rawurl';
  let out = buf.toString(url ? 'base64url' : 'base64');
  if (encoding === 'url') out += '='.repeat((4 - (out.length % 4)) % 4);
  if (encoding === 'rawstd') out = out.replace(/=+$/, '');
  return out;
}

export function b64decode(input: string, encoding: Flavour = 'std', format?: 's'): string | ArrayBuffer {
  const url = encoding === 'url' || encoding === 'rawurl';
  const buf = Buffer.from(input, url ? 'base64url' : 'base64');
  return format === 's' ? buf.toString('utf8') : new Uint8Array(buf).slice().buffer;
}

export function createEncodingModule(): Record<string, unknown> {
  return { b64encode, b64decode };
}
