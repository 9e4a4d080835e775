/**
 * Writes what handleSummary() returned: `stdout`/`stderr` go back to the caller (the CLI prints
 * them), every other key is a file path relative to `cwd`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export interface SummaryOutputs {
  stdout: string;
  stderr: string;
  files: string[];
}

export async function writeSummaryOutputs(result: unknown, cwd: string): Promise<SummaryOutputs> {
  const out: SummaryOutputs = { stdout: '', stderr: '', files: [] };
  if (result === null || result === undefined) return out;
  if (typeof result !== 'object') throw new Error('handleSummary() must return an object like { stdout: "...", "file.json": "..." }');
  for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
    const content = toContent(value);
    if (key === 'stdout') out.stdout += content;
    else if (key === 'stderr') out.stderr += content;
    else {
      const path = resolve(cwd, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      out.files.push(path);
    }
  }
  return out;
}

function toContent(v: unknown): string | Uint8Array {
  if (typeof v === 'string') return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return JSON.stringify(v);
}
