import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../errors.ts';
import { listUserOrders } from '../../order/repositories/order-repository.ts';
import { userExists } from '../../order/repositories/user-repository.ts';
import { listOrdersQuery, toId, userParams } from '../schemas.ts';
import type { ListOrdersQuery, UserParams } from '../schemas.ts';

/** A user's orders, newest first, a page at a time. */
export const userOrderRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: UserParams; Querystring: ListOrdersQuery }>(
    '/api/users/:userId/orders',
    { schema: { params: userParams, querystring: listOrdersQuery } },
    async (request) => {
      const userId = toId(request.params.userId);
      const limit = Number(request.query.limit ?? 20);
      const before = request.query.before === undefined ? undefined : toId(request.query.before);
      if (!(await userExists(app.mysql, userId))) throw new AppError('USER_NOT_FOUND');
      const page = await listUserOrders(app.mysql, userId, limit, before);
      // Newest first; pass nextBefore back as ?before= for the next page.
      return { userId, orders: page, nextBefore: page.length === limit ? (page.at(-1)?.orderId ?? null) : null };
    },
  );
};
