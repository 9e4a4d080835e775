import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';

/**
 * Where a command writes: one JSON document on stdout with --json, human text otherwise;
 * colour is decided once (chalk alone ignores NO_COLOR) and passed down.
 */
export interface Output {
  readonly json: boolean;
  readonly color: ChalkInstance;
  /** The command's result: JSON document or human text, always to stdout. */
  result(human: string, document: unknown): void;
  /** Progress and notes: always stderr (also with --json), so stdout stays machine-readable. */
  progress(line: string): void;
  table(head: readonly string[], rows: readonly (readonly string[])[]): string;
}

export interface OutputOptions {
  readonly json: boolean;
  readonly colorFlag: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTTY: boolean;
}

export function createOutput(options: OutputOptions): Output {
  const noColor = options.env['NO_COLOR'] !== undefined && options.env['NO_COLOR'] !== '';
  const level = !options.colorFlag || noColor || !options.isTTY ? 0 : 1;
  const color = new Chalk({ level });
  return {
    json: options.json,
    color,
    result(human, document) {
      process.stdout.write(options.json ? `${JSON.stringify(document, null, 2)}\n` : `${human}\n`);
    },
    progress(line) {
      process.stderr.write(`${line}\n`);
    },
    table(head, rows) {
      const table = new Table({
        head: head.map((h) => color.bold(h)),
        style: level === 0 ? { head: [], border: [] } : { head: [], border: ['grey'] },
      });
      table.push(...rows.map((r) => [...r]));
      return table.toString();
    },
  };
}
