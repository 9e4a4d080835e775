import { SERVER_SETTINGS } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';
import { ConfigError, ServiceError } from '../errors.ts';
import { portInUse } from '../lab/port-check.ts';
import { managedServer, managedServerInstances, serverHealthy, type ServerSettings } from './reference-server.ts';
import { serverDataPlaces, startedServer } from './started-server.ts';

/**
 * A job that needs the reference server (`perf-lab lab`) while one perf-lab started already
 * listens at the target — typically `perf-lab serve` in another terminal. When that server is
 * perf-lab's (its launch record and pid file in this state folder, the process alive), answers
 * GET /health, runs with the settings the job asks for and uses the same databases, keys and
 * topics, the job uses it and leaves it running. Otherwise it says what differs and what to do:
 * perf-lab never stops a server for a job that did not start it.
 */
export interface ReusedServer {
  readonly url: string;
  readonly pid: number;
}

/** The server to reuse; undefined when there is none of perf-lab's at the target (start one, or
 * let the start report whatever holds the port). Throws when there is one that cannot be used. */
export async function reusableServer(config: PerfLabConfig, wanted: ServerSettings, instances: number): Promise<ReusedServer | undefined> {
  const target = new URL(config.targetUrl);
  if (!(await portInUse(target.hostname, Number(target.port || 80)))) return undefined;
  const record = startedServer(config);
  const managed = managedServer(config);
  if (!record || managed?.pid !== record.pid) return undefined;
  const what = `the reference server perf-lab started at ${record.url} (pid ${record.pid}, e.g. by \`perf-lab serve\`)`;
  const stopIt = 'stop it (Ctrl-C where `perf-lab serve` runs, or `perf-lab down`)';
  if (!(await serverHealthy(record.url))) {
    throw new ServiceError('reference-server', record.url,
      `${what} does not answer GET /health with 200 within a second — see \`perf-lab logs reference-server\`; ${stopIt} and run again`);
  }
  const running = managedServerInstances(config).length || 1;
  const settings = settingDifferences(record.settings, wanted);
  if (running !== instances) settings.push(`instances: it runs ${running}, this run wants ${instances}`);
  if (settings.length > 0) {
    const asItIs = [...settingPairs(record.settings), ...(running > 1 ? [`instances=${running}`] : [])];
    throw new ConfigError(`${what} runs with other settings than this run asks for: ${settings.join('; ')}. ` +
      `To test it as it runs, ${asItIs.length > 0 ? `pass ${asItIs.map((p) => `--set ${p}`).join(' ')}` : 'drop the --set flags'}; ` +
      `to test these settings, ${stopIt} and run again (lab then starts its own)`);
  }
  const places = placeDifferences(record.dataPlaces, serverDataPlaces(config));
  if (places.length > 0) {
    throw new ConfigError(`${what} uses other data than this run would seed and audit: ${places.join('; ')}. ` +
      `Run with the environment it was started with, or ${stopIt} and run again`);
  }
  return { url: record.url, pid: record.pid };
}

/** "strategy: running naive, wanted redis-kafka" for each setting whose effective values differ. */
export function settingDifferences(running: ServerSettings, wanted: ServerSettings): string[] {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(SERVER_SETTINGS)) {
    if (!('env' in spec)) continue;
    const effective = (s: ServerSettings): string => s[spec.env] ?? spec.default;
    if (effective(running) !== effective(wanted)) out.push(`${name}: it runs ${effective(running)}, this run wants ${effective(wanted)}`);
  }
  return out;
}

/** The running server's settings as `--set` pairs, defaults left out. */
function settingPairs(running: ServerSettings): string[] {
  return Object.entries(SERVER_SETTINGS).flatMap(([name, spec]) =>
    'env' in spec && running[spec.env] !== undefined && running[spec.env] !== spec.default ? [`${name}=${running[spec.env]}`] : []);
}

function placeDifferences(running: Readonly<Record<string, string>> | undefined, wanted: Readonly<Record<string, string>>): string[] {
  // A record from before perf-lab kept these says nothing of where the server looks.
  if (!running) return ['its start record does not say which databases it uses'];
  return Object.entries(wanted).flatMap(([k, v]) => (running[k] === v ? [] : [`${k}: it uses ${running[k] || '(none)'}, this run ${v || '(none)'}`]));
}
