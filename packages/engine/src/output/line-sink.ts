/**
 * Where a line output's text goes: a file, or — in a worker process — a callback that sends it
 * to the parent, which owns the file. Text is buffered and written in chunks, so a per-sample
 * output makes one write call per tick (or per 64 KiB), not one per sample.
 */
import { createWriteStream, openSync, type WriteStream } from 'node:fs';

const CHUNK = 64 * 1024;

export class LineSink {
  private readonly stream: WriteStream | undefined;
  private buffer = '';
  private closing: Promise<void> | undefined;
  /** A write error (a missing folder, a full disk): reported when the output is closed. */
  private failure: Error | undefined;

  constructor(
    private readonly path: string | undefined,
    private readonly forward?: (text: string) => void,
  ) {
    if (path === undefined && !forward) throw new Error('a line output needs a file or a forward callback');
    // Opened now, so a path that cannot be written stops the run before it starts, with the reason.
    this.stream = path === undefined ? undefined : createWriteStream(path, { fd: openFile(path) });
    this.stream?.on('error', (err) => (this.failure ??= err));
  }

  /** True in a worker process: the parent writes the file (and its header). */
  get forwarding(): boolean {
    return this.stream === undefined;
  }

  append(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    if (this.stream) this.stream.write(text);
    else this.forward?.(text);
  }

  /** Flushes and ends the file; idempotent, since a run that fails early closes it from its clean-up too. */
  close(): Promise<void> {
    this.flush();
    const stream = this.stream;
    if (!stream) return Promise.resolve();
    this.closing ??= new Promise<void>((resolve, reject) => {
      if (this.failure || stream.destroyed) return reject(new Error(`cannot write ${this.path}: ${this.failure?.message ?? 'stream closed'}`));
      stream.end((err?: Error | null) => (err || this.failure ? reject(new Error(`cannot write ${this.path}: ${(err ?? this.failure)?.message}`)) : resolve()));
    });
    return this.closing;
  }
}

function openFile(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (err) {
    throw new Error(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} — check that its folder exists and is writable`);
  }
}
