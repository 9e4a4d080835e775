/**
 * The CLI's view of its environment, read once: the process environment (for __ENV, as
 * `k6 run` includes it by default), colour and TTY decisions.
 */
export interface CliEnvironment {
  readonly systemEnv: Readonly<Record<string, string>>;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly color: boolean;
}

export function readCliEnvironment(): CliEnvironment {
  const systemEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) systemEnv[k] = v;
  const stdoutIsTTY = process.stdout.isTTY === true;
  const stderrIsTTY = process.stderr.isTTY === true;
  return Object.freeze({
    systemEnv: Object.freeze(systemEnv),
    stdoutIsTTY,
    stderrIsTTY,
    color: stdoutIsTTY && !('NO_COLOR' in systemEnv),
  });
}
