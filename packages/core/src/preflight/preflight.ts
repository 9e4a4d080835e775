import { existsSync } from 'node:fs';
import { REFERENCE_API } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import { PerfLabError, ErrorKind, errorMessage } from '../errors.ts';
import type { ServiceName } from '../config/config.ts';
import { labDrivers } from '../lab/lab-services.ts';
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
  /** Every base URL the load goes to (the server's instances); default the target alone. */
  readonly targetUrls?: readonly string[];
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
  // The reference API's own probes (GET /health, one contract read) only where the API under
  // test is the reference one; a declared API is checked for an HTTP answer alone.
  const referenceApi = config.api === REFERENCE_API;
  const urls = options.targetUrls ?? [config.targetUrl];
  const [services, targets] = await Promise.all([
    servicesAnswer(config, timeouts.connectMs), Promise.all(urls.map((url) => probeTarget(url, timeouts, referenceApi))),
  ]);
  const problems: string[] = services.flatMap((s) => (s.problem ? [s.problem] : []));
  const target = targets.find((t) => t !== undefined);
  problems.push(...targets.flatMap((t) => (t ? [t] : [])));

  let manifest: SeedManifest | undefined;
  if (!existsSync(options.manifestFile)) {
    problems.push(`no seed manifest at ${options.manifestFile}: run \`perf-lab seed\``);
  } else {
    manifest = readManifest(options.manifestFile);
    if (!services.find((s) => s.name === 'mysql')?.problem) {
      try {
        await checkSeedPresent(config, options.manifestFile);
      } catch (err) {
        problems.push(errorMessage(err));
      }
    }
  }
  if (!target && referenceApi) {
    for (const url of urls) {
      const contract = await probeContract(url, options.scenario, manifest, options, timeouts.httpMs);
      if (contract) problems.push(contract);
    }
  }
  if (problems.length > 0) throw new PreflightError(problems);
}

/**
 * Each service answers a real request. Probed whatever the pid files say: a lab started from
 * another folder (or by the tests) is up although this folder holds no pid for it.
 */
async function servicesAnswer(config: PerfLabConfig, timeoutMs: number): Promise<{ name: ServiceName; problem: string | undefined }[]> {
  return Promise.all(labDrivers(config).map(async (driver) => {
    try {
      await driver.probe(timeoutMs);
      return { name: driver.name, problem: undefined };
    } catch (err) {
      const todo = config.managed.has(driver.name) ? 'run `perf-lab up`' : 'start it, or check its address';
      return { name: driver.name, problem: `${driver.name} at ${driver.address} does not answer (${errorMessage(err)}): ${todo}` };
    }
  }));
}
