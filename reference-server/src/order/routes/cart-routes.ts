import type { FastifyInstance } from 'fastify';
import { toId } from '../../routes/schemas.ts';
import { addToCart, viewCart } from '../cart-service.ts';
import type { CartItemBody, UserParams } from './order-schemas.ts';
import { cartItemBody, userParams } from './order-schemas.ts';

export function cartRoutes(app: FastifyInstance, retries: number): void {
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
}
