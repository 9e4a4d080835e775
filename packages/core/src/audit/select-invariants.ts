import { COUPON_STRATEGIES, DEFAULT_COUPON_STRATEGY, type CouponStrategyFacts, type CouponStrategyTable, type SystemName } from '@perf-lab/contract';
import { ConfigError } from '../errors.ts';
import type { Invariant } from './invariant.ts';

/**
 * Which invariants the audit checks, as a pure function of the contract's strategy facts:
 * an invariant over Redis coupon state applies only when the strategy declares that it keeps
 * that state. A strategy added to the contract is thus audited correctly without touching core.
 */
export interface SelectedInvariant {
  readonly invariant: Invariant;
  /** Why it does not apply; absent when it is to be checked. */
  readonly skipped?: string;
}

export function selectInvariants(
  invariants: readonly Invariant[],
  strategy: CouponStrategyFacts,
  systems?: readonly SystemName[],
): SelectedInvariant[] {
  return invariants
    .filter((inv) => !systems || systems.includes(inv.system))
    .map((invariant) => {
      const missing = (invariant.needsCouponRedis ?? []).filter((state) => !strategy.redisState.includes(state));
      if (missing.length === 0) return { invariant };
      const skipped = strategy.redisState.length === 0
        ? 'the coupon strategy keeps no Redis state'
        : `the coupon strategy keeps no ${missing.join(' or ')} in Redis`;
      return { invariant, skipped };
    });
}

/**
 * The facts of the strategy a run used (by the name it gave the server); the server's
 * default when the run did not say. A name the contract does not know is an error, not a
 * guess: guessing is how the audit would apply the wrong checks.
 */
export function couponStrategyFacts(name: string | undefined, strategies: CouponStrategyTable = COUPON_STRATEGIES): CouponStrategyFacts {
  const key = name ?? DEFAULT_COUPON_STRATEGY;
  const facts = Object.prototype.hasOwnProperty.call(strategies, key) ? strategies[key] : undefined;
  if (!facts) {
    throw new ConfigError(`unknown coupon strategy "${key}" — the contract knows ${Object.keys(strategies).join(', ')}; ` +
      'add it to packages/contract/src/coupon-strategies.ts');
  }
  return facts;
}
