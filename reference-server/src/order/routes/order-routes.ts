import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import { toId } from '../../routes/schemas.ts';
import { OrderError } from '../order-errors.ts';
import type { OrderService } from '../order-service.ts';
import { findOrder, listUserOrders } from '../repositories/order-repository.ts';
import { userExists } from '../repositories/user-repository.ts';
import type { IdempotencyHeaders, ListOrdersQuery, OrderBody, OrderParams, UserParams } from './order-schemas.ts';
import { idempotencyHeaders, listOrdersQuery, orderBody, orderParams, userParams } from './order-schemas.ts';

export function orderRoutes(app: FastifyInstance, orders: OrderService): void {
  app.post<{ Body: OrderBody; Headers: IdempotencyHeaders }>(
    '/api/orders',
    { schema: { body: orderBody, headers: idempotencyHeaders } },
    async (request, reply) => {
      const { userId, items, fromCart, couponId } = request.body;
      // "items or the cart, not both, not neither" is awkward in JSON schema; checked here, same 400.
      if ((items !== undefined) === (fromCart === true)) {
        throw new AppError('VALIDATION_FAILED', 'body must have either items or fromCart: true');
      }
      const placed = await orders.place({
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
    if (!order) throw new OrderError('ORDER_NOT_FOUND');
    return order;
  });

  app.get<{ Params: UserParams; Querystring: ListOrdersQuery }>(
    '/api/users/:userId/orders',
    { schema: { params: userParams, querystring: listOrdersQuery } },
    async (request) => {
      const userId = toId(request.params.userId);
      const limit = Number(request.query.limit ?? 20);
      const before = request.query.before === undefined ? undefined : toId(request.query.before);
      if (!(await userExists(app.mysql, userId))) throw new OrderError('USER_NOT_FOUND');
      const page = await listUserOrders(app.mysql, userId, limit, before);
      // Newest first; pass nextBefore back as ?before= for the next page.
      return { userId, orders: page, nextBefore: page.length === limit ? (page.at(-1)?.orderId ?? null) : null };
    },
  );
}
