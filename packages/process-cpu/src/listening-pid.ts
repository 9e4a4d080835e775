import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * The socket inodes listening on `port` in a /proc/net/tcp or tcp6 table (any local address).
 * Columns: sl local_address(hexip:hexport) rem_address st(0A = LISTEN) … uid timeout inode.
 */
export function listeningInodes(table: string, port: number): Set<number> {
  const inodes = new Set<number>();
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    if (!local || cols[3] !== '0A') continue;
    if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
    const inode = Number(cols[9]);
    if (inode > 0) inodes.add(inode);
  }
  return inodes;
}

/**
 * The pid of the process on this machine that listens on a TCP port, or undefined when none is
 * visible (no procfs, another user's process without the right to read its descriptors).
 * For benchmarks that find the services they load by address, not by a pid file.
 */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const inode of listeningInodes(readFileSync(file, 'utf8'), port)) inodes.add(inode);
    } catch {
      // no IPv6 table, or no procfs
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of safeList('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const fd of safeList(`/proc/${entry}/fd`)) {
      const target = safeLink(`/proc/${entry}/fd/${fd}`);
      const inode = target && /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(Number(inode))) return Number(entry);
    }
  }
  return undefined;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True for an address on this machine: only those have a process whose CPU we can read. */
export const isLocalHost = (host: string): boolean => LOCAL_HOSTS.has(host) || host.startsWith('127.');

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeLink(file: string): string | undefined {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
}
