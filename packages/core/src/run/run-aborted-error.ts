import { ErrorKind, PerfLabError } from '../errors.ts';

/** The run was stopped because every request failed; its folder was written. The CLI exits 2. */
export class RunAbortedError extends PerfLabError {
  readonly runDir: string;
  constructor(reason: string, runDir: string) {
    super(ErrorKind.environment, `${reason} — check the target and \`perf-lab status\`; the run folder is ${runDir}`);
    this.name = 'RunAbortedError';
    this.runDir = runDir;
  }
}
