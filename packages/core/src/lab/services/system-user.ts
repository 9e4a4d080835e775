import { execFile } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ServiceError } from '../../errors.ts';

const run = promisify(execFile);

/** True when perf-lab runs as root, so a server it starts must drop to a system user. */
export const runningAsRoot = (): boolean => process.getuid?.() === 0;

export interface SystemUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export async function systemUser(name: string, service: string, address: string): Promise<SystemUser> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new ServiceError(service, address,
      `perf-lab runs as root and starts ${service} as the \`${name}\` system user, which does not exist — ` +
        `install the server package (it creates the user), or run perf-lab as an ordinary user`);
  }
}

/**
 * Hands a folder perf-lab made to the service's user (recursively, only when its top is not
 * theirs yet, so a datadir from an older root-run lab is migrated once), and checks that the
 * user can reach it: every folder above needs the search bit for others.
 */
export async function handOver(dir: string, user: SystemUser, service: string, address: string): Promise<void> {
  if (statSync(dir).uid !== user.uid) await run('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
  for (let up = path.dirname(dir); ; up = path.dirname(up)) {
    const mode = statSync(up).mode;
    if ((mode & 0o001) === 0) {
      throw new ServiceError(service, address,
        `${service} runs as the \`${user.name}\` user, which cannot enter ${up} (mode ${(mode & 0o777).toString(8)}) — ` +
          `choose a state folder it can reach (PERF_LAB_STATE_DIR or --state-dir), or \`chmod o+x ${up}\``);
    }
    if (path.dirname(up) === up) break;
  }
}

/** Lets others pass through (not list) a folder perf-lab created, e.g. a mkdtemp 0700 state folder. */
export function allowTraverse(dir: string): void {
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
}

/** The real uid a process runs as (Linux procfs), or undefined when it cannot be read. */
export function processUid(pid: number): number | undefined {
  try {
    const line = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line?.[1] === undefined ? undefined : Number(line[1]);
  } catch {
    return undefined;
  }
}
