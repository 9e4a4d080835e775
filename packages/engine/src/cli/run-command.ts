/**
 * `run`: calls the library and does all the printing — k6-style log lines and a progress line
 * (stderr, TTY only), the end-of-test summary on stdout — then returns the exit code.
 */
import { run } from '../run.ts';
import type { ProgressEvent } from '../output/progress-events.ts';
import { EXIT_CODES } from '../run/exit-codes.ts';
import type { CliEnvironment } from './config.ts';
import type { RunCommand } from './parse-run-args.ts';

export async function runCommand(cmd: RunCommand, env: CliEnvironment): Promise<number> {
  const started = Date.now();
  const stamp = (): string => `[${String(Math.floor((Date.now() - started) / 1000)).padStart(4, '0')}]`;
  const progress = env.stderrIsTTY && !cmd.quiet;
  const onProgress = (e: ProgressEvent): void => {
    if (e.type === 'log') {
      const level = e.level === 'warn' ? 'WARN' : e.level.toUpperCase().slice(0, 4);
      const ctx = `${e.source === 'console' ? ' source=console' : ''}${e.scenario ? ` scenario=${e.scenario}` : ''}`;
      process.stderr.write(`${progress ? '\r\u001b[K' : ''}${level}${stamp()} ${e.message}${ctx}\n`);
    } else if (e.type === 'tick' && progress) {
      const done = e.scenarios.reduce((n, s) => n + s.iterationsCompleted, 0);
      const cut = e.scenarios.reduce((n, s) => n + s.iterationsInterrupted, 0);
      process.stderr.write(`\r\u001b[Krunning (${e.point.t.toFixed(1)}s), ${e.point.vus}/${e.point.vusMax} VUs, ${done} complete and ${cut} interrupted iterations`);
    }
  };
  const ac = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    // First Ctrl+C stops gracefully (teardown and summary still run); a second one exits now.
    if (++interrupts > 1) process.exit(EXIT_CODES.EXTERNAL_ABORT);
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const overrides = { ...cmd.overrides };
    const result = await run({
      script: cmd.script,
      env: { ...(cmd.includeSystemEnv ? env.systemEnv : {}), ...cmd.env },
      options: cmd.noThresholds ? { ...overrides, thresholds: {} } : overrides,
      out: cmd.out,
      outputEnv: env.systemEnv,
      ...(cmd.summaryExport ? { summaryExport: cmd.summaryExport } : {}),
      ...(cmd.workers ? { workers: cmd.workers } : {}),
      ...(cmd.httpClient ? { httpClient: cmd.httpClient } : {}),
      noSummary: cmd.noSummary,
      isStdOutTTY: env.color,
      isStdErrTTY: env.stderrIsTTY,
      onProgress,
      signal: ac.signal,
    });
    if (progress) process.stderr.write('\r\u001b[K');
    if (result.stdout) process.stdout.write(result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n`);
    if (result.stderr) process.stderr.write(result.stderr);
    if (result.error && result.exitCode !== EXIT_CODES.OK) process.stderr.write(`ERRO${stamp()} ${result.error}\n`);
    return result.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
