import type { FastifyPluginAsync } from 'fastify';
import { idParam, toId } from '../schemas.ts';

/** The coupons a user holds, as the active strategy recorded them. */
export const userCouponRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { userId: string } }>(
    '/api/users/:userId/coupons',
    { schema: { params: { type: 'object', properties: { userId: idParam }, required: ['userId'] } } },
    async (req) => {
      const userId = toId(req.params.userId);
      return { userId, coupons: await app.couponIssuer.listUserCoupons(userId) };
    },
  );
};
