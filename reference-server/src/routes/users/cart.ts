import type { FastifyPluginAsync } from 'fastify';
import { addToCart, viewCart } from '../../order/cart-service.ts';
import { cartItemBody, toId, userParams } from '../schemas.ts';
import type { CartItemBody, UserParams } from '../schemas.ts';

/** A user's cart; stock is not reserved by a cart, only taken when the order is placed. */
export const cartRoutes: FastifyPluginAsync = async (app) => {
  const retries = app.config.order.txRetries;
  app.post<{ Params: UserParams; Body: CartItemBody }>(
    '/api/users/:userId/cart/items',
    { schema: { params: userParams, body: cartItemBody } },
    async (request, reply) => {
      const userId = toId(request.params.userId);
      const { productId, quantity } = request.body;
      reply.code(201);
      return addToCart(app.mysql, userId, productId, quantity, retries);
    },
  );

  app.get<{ Params: UserParams }>('/api/users/:userId/cart', { schema: { params: userParams } }, async (request) =>
    viewCart(app.mysql, toId(request.params.userId)),
  );
};
