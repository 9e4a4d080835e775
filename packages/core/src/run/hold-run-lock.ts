import type { PerfLabConfig } from '../config/config.ts';
import { ErrorKind, PerfLabError } from '../errors.ts';
import { tryRunLock, type RunLockOwner } from './run-lock.ts';

/** Another run holds the target: the CLI exits 2, saying whose run it is and what to do. */
export class RunBusyError extends PerfLabError {
  readonly owner: RunLockOwner;
  readonly file: string;
  constructor(owner: RunLockOwner, file: string) {
    super(ErrorKind.environment,
      `another perf-lab run is using the target ${owner.target}: pid ${owner.pid} (\`${owner.command}\`, since ${owner.startedAt}) — ` +
        `wait for it to finish or stop it (Ctrl-C in its terminal, or \`kill ${owner.pid}\`), or point this run at another target ` +
        `(--target or PERF_LAB_TARGET_URL); no load was sent. If pid ${owner.pid} is no perf-lab run, delete ${file}`);
    this.name = 'RunBusyError';
    this.owner = owner;
    this.file = file;
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `work` holding the target's run lock, and lets it go on every way out: a result, an
 * error, Ctrl-C or SIGTERM (then the signal takes its usual course), the process exiting. Only
 * kill -9 leaves the file behind, and the next run takes it over, its owner being dead.
 */
export async function holdRunLock<T>(config: PerfLabConfig, command: string, work: () => Promise<T>): Promise<T> {
  const attempt = tryRunLock(config.stateDir, config.targetUrl, command);
  if (!attempt.held) throw new RunBusyError(attempt.owner, attempt.file);
  const letGo = () => {
    process.removeListener('exit', letGo);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    attempt.release();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    letGo();
    // Ours was the last word on the signal: raise it again, now with its default effect.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.once('exit', letGo);
  for (const signal of SIGNALS) process.once(signal, onSignal);
  try {
    return await work();
  } finally {
    letGo();
  }
}
