import type { FastifyInstance } from 'fastify';
import { toId } from '../../routes/schemas.ts';
import { chargeBalance } from '../balance-service.ts';
import { OrderError } from '../order-errors.ts';
import { readBalance } from '../repositories/user-repository.ts';
import type { ChargeBody, IdempotencyHeaders, UserParams } from './order-schemas.ts';
import { chargeBody, idempotencyHeaders, userParams } from './order-schemas.ts';

export function balanceRoutes(app: FastifyInstance, retries: number): void {
  app.post<{ Params: UserParams; Body: ChargeBody; Headers: IdempotencyHeaders }>(
    '/api/users/:userId/balance/charge',
    { schema: { params: userParams, body: chargeBody, headers: idempotencyHeaders } },
    async (request, reply) => {
      const key = request.headers['idempotency-key'] ?? null;
      const result = await chargeBalance(app.mysql, toId(request.params.userId), request.body.amount, key, retries);
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return { userId: result.userId, balance: result.balance, transactionId: result.transactionId };
    },
  );

  app.get<{ Params: UserParams }>('/api/users/:userId/balance', { schema: { params: userParams } }, async (request) => {
    const userId = toId(request.params.userId);
    const balance = await readBalance(app.mysql, userId);
    if (balance === null) throw new OrderError('USER_NOT_FOUND');
    return { userId, balance };
  });
}
