import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A password perf-lab generates once per lab and keeps in the state folder, readable only by
 * the user who runs perf-lab (0600 in a 0700 folder). Every client of the lab reads it from
 * here, so it is never typed, printed or passed on a command line where `ps` would show it.
 */
export function labSecret(stateDir: string, name: string): string {
  const dir = path.join(stateDir, 'secrets');
  const file = path.join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const secret = randomBytes(24).toString('hex');
  // `wx` so two processes resolving the same fresh lab at once keep the first one's secret.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFileSync(file, 'utf8').trim();
  }
  return secret;
}

/**
 * The Redis user clients authenticate as. It is `default` (with the lab's password and rights
 * short of administration) rather than a named user with `default` switched off: Redis 7.0
 * replays MULTI/EXEC from the AOF as the default user, so with it off a restart after kill -9
 * silently drops every transaction (the seed's and the server's) — found by a kill-redis fault.
 */
export const LAB_REDIS_USER = 'default';
