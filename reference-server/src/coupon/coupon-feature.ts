import type { FastifyPluginAsync } from 'fastify';
import { couponRoutes } from '../routes/coupons/index.ts';
import { userCouponRoutes } from '../routes/users/coupons.ts';
import type { CouponIssuer } from './coupon-issuer.ts';
import { KnownUsers } from './known-users.ts';
import { COUPON_ISSUERS } from './strategies/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Visible only inside the coupon feature (encapsulated). */
    couponIssuer: CouponIssuer;
    knownUsers: KnownUsers;
  }
}

/**
 * First-come coupon issuance: starts the configured strategy (for redis-kafka, with its
 * consumer group) and registers the coupon routes. Encapsulated: it consumes the shared
 * mysql/redis/kafka decorations and adds nothing to the rest of the app.
 */
export const couponFeature: FastifyPluginAsync = async (app) => {
  const log = app.log.child({ feature: 'coupon' });
  app.decorate('couponIssuer', await COUPON_ISSUERS[app.config.couponStrategy](app, log));
  app.decorate('knownUsers', new KnownUsers(app.mysql));
  await app.register(couponRoutes);
  await app.register(userCouponRoutes);
};
