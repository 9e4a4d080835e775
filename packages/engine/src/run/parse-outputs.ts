/** k6-style `--out` values: "json=path" (the only output the engine writes). */

export interface Outputs {
  json?: string;
}

export function parseOutputs(list: readonly string[]): Outputs {
  const out: Outputs = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    const kind = eq < 0 ? item : item.slice(0, eq);
    const arg = eq < 0 ? '' : item.slice(eq + 1);
    if (kind !== 'json') throw new Error(`unsupported output "${kind}": the engine writes only json=FILE`);
    if (!arg) throw new Error('the json output needs a file: --out json=results.json');
    out.json = arg;
  }
  return out;
}
