import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Finds the lab process listening on a TCP port (this test run's own MariaDB/Redis/Kafka, on
 * the ports its env file gave it) through /proc, so a test can pause it the way an operator's
 * SIGSTOP or a stalled disk would, without knowing how the lab was started.
 */
export function pidListeningOn(port: number): number {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      // state 0A = LISTEN
      if (local && cols[3] === '0A' && parseInt(local.split(':')[1] ?? '', 16) === port && cols[9]) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) throw new Error(`nothing listens on port ${port} — is the lab up?`);
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return Number(pid);
      } catch {
        // the fd closed meanwhile
      }
    }
  }
  throw new Error(`no process of ours owns the listener on port ${port}`);
}

/**
 * Runs `during` with the process stopped (SIGSTOP), and always resumes it (SIGCONT), also
 * when `during` throws: a lab left paused would fail every later test.
 */
export async function whilePaused<T>(pid: number, during: () => Promise<T>): Promise<T> {
  process.kill(pid, 'SIGSTOP');
  try {
    return await during();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

export function portOf(address: string): number {
  return Number(address.split(',')[0]?.split(':').at(-1));
}
