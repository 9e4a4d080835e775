import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../errors.ts';
import { findOrder } from '../../order/repositories/order-repository.ts';
import { idempotencyHeaders, orderBody, orderParams, toId } from '../schemas.ts';
import type { IdempotencyHeaders, OrderBody, OrderParams } from '../schemas.ts';

/** Placing an order (lock → one transaction → release, see OrderService) and reading one back. */
export const orderRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: OrderBody; Headers: IdempotencyHeaders }>(
    '/api/orders',
    { schema: { body: orderBody, headers: idempotencyHeaders } },
    async (request, reply) => {
      const { userId, items, fromCart, couponId } = request.body;
      // "items or the cart, not both, not neither" is awkward in JSON schema; checked here, same 400.
      if ((items !== undefined) === (fromCart === true)) {
        throw new AppError('VALIDATION_FAILED', 'body must have either items or fromCart: true');
      }
      const placed = await app.orderService.place({
        userId,
        items: items ?? null,
        couponId: couponId ?? null,
        idempotencyKey: request.headers['idempotency-key'] ?? null,
      });
      // A replay answers exactly what the first request got (201 included); the header tells it apart.
      if (placed.replayed) reply.header('idempotent-replayed', 'true');
      reply.code(201);
      return placed.receipt;
    },
  );

  app.get<{ Params: OrderParams }>('/api/orders/:orderId', { schema: { params: orderParams } }, async (request) => {
    const order = await findOrder(app.mysql, toId(request.params.orderId));
    if (!order) throw new AppError('ORDER_NOT_FOUND');
    return order;
  });
};
