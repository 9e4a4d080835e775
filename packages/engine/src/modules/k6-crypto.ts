/** k6/crypto on node:crypto: hashes, HMAC and random bytes with k6's output encodings. */
import { createHash as nodeHash, createHmac as nodeHmac, randomBytes as nodeRandom } from 'node:crypto';

type OutputEncoding = 'hex' | 'base64' | 'base64url' | 'binary';

function toInput(data: unknown): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(String(data), 'utf8');
}

function output(buf: Buffer, enc: OutputEncoding = 'hex'): string | ArrayBuffer {
  if (enc === 'binary') return new Uint8Array(buf).slice().buffer;
  return buf.toString(enc === 'base64url' ? 'base64url' : enc);
}

/** k6 names "sha512_256" etc. like Go; Node spells them "sha512-256". */
const alg = (name: string): string => name.replace('_', '-');

function hasher(algorithm: string, secret?: unknown) {
  const h = secret === undefined ? nodeHash(alg(algorithm)) : nodeHmac(alg(algorithm), toInput(secret));
  return {
    update(data: unknown) {
      h.update(toInput(data));
      return this;
    },
    digest: (enc?: OutputEncoding) => output(h.digest(), enc),
  };
}

export function createCryptoModule(): Record<string, unknown> {
  const hash = (algorithm: string) => (data: unknown, enc?: OutputEncoding) => output(nodeHash(algorithm).update(toInput(data)).digest(), enc);
  return {
    md5: hash('md5'),
    sha1: hash('sha1'),
    sha256: hash('sha256'),
    sha384: hash('sha384'),
    sha512: hash('sha512'),
    hmac: (algorithm: string, secret: unknown, data: unknown, enc?: OutputEncoding) =>
      output(nodeHmac(alg(algorithm), toInput(secret)).update(toInput(data)).digest(), enc),
    randomBytes: (n: number) => new Uint8Array(nodeRandom(n)).buffer,
    createHash: (algorithm: string) => hasher(algorithm),
    createHMAC: (algorithm: string, secret: unknown) => hasher(algorithm, secret),
  };
}
