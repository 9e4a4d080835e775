#!/usr/bin/env -S npx tsx
/**
 * `tsx packages/engine/src/bin.ts run [flags] script.js|script.ts` — a k6-like command line for the
 * engine. Usage errors exit 104 (k6's "invalid config"), everything else is the run's exit code.
 */
import { k6Cli } from './cli/k6-cli.ts';

k6Cli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Like k6, the run is over when the test is: a handle the script left open (a global
    // setInterval, a socket) must not keep the process alive. Unref'd, so a clean exit is not delayed.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
