import { Option, type Command } from 'commander';
import { PROFILE_NAMES } from '@perf-lab/contract';
import { positiveFloat, positiveInt } from './program-parsers.ts';

/** Flags that shape a load profile, shared by run, lab and compare. */
export interface LoadFlags {
  profile: string;
  scale?: number;
  vus?: number;
  duration?: string;
}

/** lab, run and compare share it, so the same command line means the same load in each. */
export const DEFAULT_PROFILE = 'sequential';

export function addLoadFlags(command: Command): Command {
  return command
    .addOption(new Option('-p, --profile <name>', 'load profile').choices(PROFILE_NAMES).default(DEFAULT_PROFILE))
    .option('--scale <factor>', 'shrink every stage and VU count proportionally (CI: 0.05)', positiveFloat)
    .option('--vus <n>', 'peak VUs (other stages in proportion)', positiveInt)
    .option('--duration <d>', 'total duration, e.g. 30s (stages stretched in proportion)');
}

export function profileOverrides(flags: LoadFlags): { scale?: number; vus?: number; duration?: string } {
  return {
    ...(flags.scale !== undefined ? { scale: flags.scale } : {}),
    ...(flags.vus !== undefined ? { vus: flags.vus } : {}),
    ...(flags.duration !== undefined ? { duration: flags.duration } : {}),
  };
}
