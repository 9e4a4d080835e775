/** k6-style `--out` values: "json=path", and "partial=DIR" (a segment's mergeable result). */

export interface Outputs {
  json?: string;
  partial?: string;
}

export function parseOutputs(list: readonly string[]): Outputs {
  const out: Outputs = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    const kind = eq < 0 ? item : item.slice(0, eq);
    const arg = eq < 0 ? '' : item.slice(eq + 1);
    if (kind === 'partial') {
      if (!arg) throw new Error('the partial output needs a folder: --out partial=parts/0');
      out.partial = arg;
      continue;
    }
    if (kind !== 'json') throw new Error(`unsupported output "${kind}": the engine writes json=FILE and partial=DIR`);
    if (!arg) throw new Error('the json output needs a file: --out json=results.json');
    out.json = arg;
  }
  return out;
}
