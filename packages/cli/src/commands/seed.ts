import type { Command } from 'commander';
import { seed } from '@perf-lab/core';
import { commandContext } from '../global-options.ts';
import { ExitCode } from '../exit-codes.ts';

export interface SeedFlags {
  json?: boolean;
  users?: number;
  balance?: number;
  couponStock?: number;
  couponHolders?: number;
  products?: number;
  productStock?: number;
  price?: number;
  keep?: boolean;
}

export async function seedCommand(opts: SeedFlags, command: Command): Promise<number> {
  const { config, out } = await commandContext(command, Boolean(opts.json));
  const result = await seed(config, {
    plan: {
      users: opts.users, initialBalance: opts.balance, couponStock: opts.couponStock, orderCouponHolders: opts.couponHolders,
      products: opts.products, productStock: opts.productStock, productPrice: opts.price, keep: Boolean(opts.keep),
    } as Record<string, unknown>,
    onProgress: (line) => out.progress(`  ${line}`),
  });
  out.result(
    `seeded ${result.users.toLocaleString('en-US')} users, ${result.coupons} coupons, ${result.products} products in ${result.seconds.toFixed(2)}s (manifest ${result.manifestFile})`,
    { users: result.users, coupons: result.coupons, products: result.products, seconds: result.seconds },
  );
  return ExitCode.ok;
}
