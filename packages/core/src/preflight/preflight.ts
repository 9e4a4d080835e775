import { existsSync } from 'node:fs';
import type { PerfLabConfig } from '../config/config.ts';
import { PerfLabError, ErrorKind, errorMessage } from '../errors.ts';
import { labStatus } from '../lab/lab.ts';
import { readManifest, type SeedManifest } from '../seed/seed-manifest.ts';
import { checkSeedPresent } from '../seed/seed-presence.ts';
import { probeContract } from './probe-contract.ts';
import { DEFAULT_PROBE_TIMEOUTS, probeTarget, type ProbeTimeouts } from './probe-target.ts';

export interface PreflightOptions {
  readonly scenario: string;
  readonly manifestFile: string;
  readonly couponId: number;
  readonly userId: number;
  readonly timeouts?: ProbeTimeouts;
}

/** The run was not started: every problem found, each with what to do. The CLI exits 2. */
export class PreflightError extends PerfLabError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(ErrorKind.environment, `pre-flight check failed, no load was sent:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PreflightError';
    this.problems = problems;
  }
}

/**
 * Before any load: the lab's services answer, the target answers and speaks the contract,
 * and the seed the manifest describes is in the database. Independent checks run together,
 * so a run against a dead lab fails in about the probes' timeout, naming every cause.
 */
export async function preflight(config: PerfLabConfig, options: PreflightOptions): Promise<void> {
  const timeouts = options.timeouts ?? DEFAULT_PROBE_TIMEOUTS;
  const [services, target] = await Promise.all([labStatus(config), probeTarget(config.targetUrl, timeouts)]);
  const problems: string[] = services.filter((s) => !s.ok).map((s) => s.mode === 'managed'
    ? `${s.name} at ${s.address} is down (${s.error}): run \`perf-lab up\``
    : `${s.name} at ${s.address} does not answer (${s.error}): start it, or check its address`);
  if (target) problems.push(target);

  let manifest: SeedManifest | undefined;
  if (!existsSync(options.manifestFile)) {
    problems.push(`no seed manifest at ${options.manifestFile}: run \`perf-lab seed\``);
  } else {
    manifest = readManifest(options.manifestFile);
    if (services.find((s) => s.name === 'mysql')?.ok) {
      try {
        await checkSeedPresent(config, options.manifestFile);
      } catch (err) {
        problems.push(errorMessage(err));
      }
    }
  }
  if (!target) {
    const contract = await probeContract(config.targetUrl, options.scenario, manifest, options, timeouts.httpMs);
    if (contract) problems.push(contract);
  }
  if (problems.length > 0) throw new PreflightError(problems);
}
