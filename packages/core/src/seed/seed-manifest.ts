import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatId } from '@perf-lab/contract';
import { ConfigError } from '../errors.ts';
import type { SeedPlan } from './seed-plan.ts';

/** What the seed wrote, for the audit: the starting totals every invariant compares against. */
export interface SeedManifest {
  readonly version: 1;
  readonly seededAt: string;
  readonly database: string;
  readonly redisKeyPrefix: string;
  readonly plan: SeedPlan;
  /** Ids by number (written through the API contract's id format) or as the system writes them. */
  readonly coupons: readonly { readonly id: number | string; readonly total: number; readonly issuedAtSeed: number }[];
  readonly products: readonly { readonly id: number | string; readonly initialQuantity: number; readonly price: number }[];
  /** Every user id in [firstUser, lastUser] started with initialBalance and an empty ledger. */
  readonly balanceRule: { readonly firstUser: number; readonly lastUser: number; readonly initialBalance: number };
  /** Users a seed of one's own started elsewhere than initialBalance, by id as the system writes it. */
  readonly balances?: Readonly<Record<string, number>>;
}

/** A manifest id as the system writes it: a number goes through the id format (`test-coupon-{n}`), a string is taken as written. */
export function seededId(format: string, id: number | string): number | string {
  return typeof id === 'string' ? id : formatId(format, id);
}

export function manifestPath(stateDir: string): string {
  return path.join(stateDir, 'seed-manifest.json');
}

export function writeManifest(file: string, manifest: SeedManifest): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function readManifest(file: string): SeedManifest {
  if (!existsSync(file)) throw new ConfigError(`no seed manifest at ${file} — run \`perf-lab seed\` first`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as SeedManifest;
  if (manifest.version !== 1) throw new ConfigError(`seed manifest ${file} has unknown version ${String(manifest.version)}`);
  return manifest;
}
