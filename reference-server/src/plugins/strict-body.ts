import { AppError } from '../errors.ts';
import { hasDuplicateKey } from '../duplicate-json-key.ts';
import { sharedPlugin } from './shared-plugin.ts';

/**
 * Bodies are read one way only: uncompressed JSON, each key once. A compressed body would
 * otherwise be parsed as if it were plain text, and with duplicate keys JSON.parse keeps the
 * last one while a proxy or a logging layer may read the first — two views of one request.
 * Shared, so it guards every route of the app.
 */
export const strictBodyPlugin = sharedPlugin('strict-body', async (app) => {
  app.addHook('onRequest', async (req) => {
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') throw new AppError('UNSUPPORTED_CONTENT_ENCODING');
    // fastify decodes every JSON body as UTF-8 whatever charset it declares, so a body sent as
    // "charset=utf-16" was read as something its sender did not mean (and charged a balance).
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new AppError('INVALID_CONTENT_TYPE');
  });
  // fastify's own parser (prototype poisoning refused), then the duplicate check.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parseJson(req, String(body), (err, value) => {
      if (err) return done(err, undefined);
      if (hasDuplicateKey(String(body))) return done(new AppError('DUPLICATE_JSON_KEY'), undefined);
      done(null, value);
    });
  });
  // Only JSON is an accepted body; text/plain would otherwise reach the schema as a string.
  app.removeContentTypeParser('text/plain');
});
