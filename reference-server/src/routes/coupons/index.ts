import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../errors.ts';
import { idBody, idParam, toId } from '../schemas.ts';

interface CouponParams {
  couponId: string;
}

/** A request body is `{"userId": n}`; anything past a few hundred bytes is not one. */
const ISSUE_BODY_LIMIT = 1024;

export const couponRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Params: CouponParams; Body: { userId: number } }>(
    '/api/coupons/:couponId/issue',
    {
      bodyLimit: ISSUE_BODY_LIMIT,
      schema: {
        params: { type: 'object', properties: { couponId: idParam }, required: ['couponId'] },
        body: {
          type: 'object',
          properties: { userId: idBody },
          required: ['userId'],
          additionalProperties: false,
        },
        response: {
          '2xx': {
            type: 'object',
            properties: { status: { type: 'string' }, requestId: { type: 'string' } },
          },
        },
      },
    },
    async (req, reply) => {
      // Before any strategy reserves anything: an unknown user must not consume stock.
      if (!(await app.knownUsers.exists(req.body.userId))) throw new AppError('USER_NOT_FOUND');
      const accepted = await app.couponIssuer.issue(toId(req.params.couponId), req.body.userId);
      return reply.code(accepted.statusCode).send(accepted.body);
    },
  );

  app.get<{ Params: CouponParams & { userId: string } }>(
    '/api/coupons/:couponId/issues/:userId',
    {
      schema: {
        params: {
          type: 'object',
          properties: { couponId: idParam, userId: idParam },
          required: ['couponId', 'userId'],
        },
      },
    },
    async (req) => {
      const couponId = toId(req.params.couponId);
      const userId = toId(req.params.userId);
      const status = await app.couponIssuer.issueStatus(couponId, userId);
      if (!status) throw new AppError('ISSUE_NOT_FOUND');
      return { couponId, userId, ...status };
    },
  );

  app.get<{ Params: CouponParams }>(
    '/api/coupons/:couponId',
    { schema: { params: { type: 'object', properties: { couponId: idParam }, required: ['couponId'] } } },
    async (req) => {
      const coupon = await app.couponIssuer.getCoupon(toId(req.params.couponId));
      if (!coupon) throw new AppError('COUPON_NOT_FOUND');
      return coupon;
    },
  );
};
