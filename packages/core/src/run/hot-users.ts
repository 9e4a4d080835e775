import { ConfigError } from '../errors.ts';

/** Where the seeded user count came from, and how to seed more: said in the refusal. */
export interface SeededUsers {
  readonly users: number;
  /** e.g. "the seed manifest at .perf-lab/seed-manifest.json" or "this run's seed". */
  readonly from: string;
  /** How to seed n users instead, as the user would type it. */
  readonly seedMore: (n: number) => string;
}

/**
 * `--hot-users n` sends every order to one of users 1..n. Past the users seeded, orders go to
 * users that do not exist: the run measures refusals (or a server's handling of unknown users)
 * instead of contention, and the audit judges a load nobody meant. Refused before any load.
 */
export function checkHotUsers(hotUsers: number | undefined, seeded: SeededUsers): void {
  if (hotUsers === undefined || hotUsers <= seeded.users) return;
  throw new ConfigError(
    `--hot-users ${hotUsers} is more than the ${seeded.users} user(s) in ${seeded.from}: orders would go to users 1..${hotUsers}, ` +
      `and users past ${seeded.users} do not exist — pass --hot-users ${seeded.users} or fewer, or ${seeded.seedMore(hotUsers)}; no load was sent`,
  );
}
