import { COUPON_STRATEGY, type CouponStrategy } from '@perf-lab/contract';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { CouponIssuer } from '../coupon-issuer.ts';
import { dbOnlyIssuer } from './db-only.ts';
import { naiveIssuer } from './naive.ts';
import { startRedisKafka } from './redis-kafka.ts';

/**
 * Every coupon strategy the contract names, and how this server starts it. Keyed by the
 * contract's names and typed by them, so a strategy added there does not compile until it is
 * added here: a new strategy touches the contract and this file (plus its own implementation).
 * A starter may register onClose hooks on `app` for what it runs (the redis-kafka consumer).
 */
export type StartIssuer = (app: FastifyInstance, log: FastifyBaseLogger) => Promise<CouponIssuer>;

export const COUPON_ISSUERS: Readonly<Record<CouponStrategy, StartIssuer>> = {
  [COUPON_STRATEGY.redisKafka]: startRedisKafka,
  [COUPON_STRATEGY.dbOnly]: async (app) => dbOnlyIssuer(app.mysql),
  [COUPON_STRATEGY.naive]: async (app) => naiveIssuer(app.mysql),
};
