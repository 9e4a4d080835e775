import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../errors.ts';
import { chargeBalance } from '../../order/balance-service.ts';
import { readBalance } from '../../order/repositories/user-repository.ts';
import { chargeBody, idempotencyHeaders, toId, userParams } from '../schemas.ts';
import type { ChargeBody, IdempotencyHeaders, UserParams } from '../schemas.ts';

export const balanceRoutes: FastifyPluginAsync = async (app) => {
  const retries = app.config.order.txRetries;
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
    if (balance === null) throw new AppError('USER_NOT_FOUND');
    return { userId, balance };
  });
};
