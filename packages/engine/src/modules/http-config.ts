/**
 * k6/http's settings from the test's options: the client's own (client-config.ts) plus what the
 * module applies around it (User-Agent, redirects, `throw`, discarded bodies, per-VU reuse).
 */
import type { K6Options } from '../config/k6-options.ts';
import type { ClientConfig, HttpClientKind } from '../http/client-config.ts';

export interface HttpConfig extends ClientConfig {
  userAgent: string;
  maxRedirects: number;
  noVUConnectionReuse: boolean;
  discardResponseBodies: boolean;
  throwOnError: boolean;
}

export const DEFAULT_USER_AGENT = 'perf-lab-engine/0.1 (k6-compatible)';

export function httpConfig(options: K6Options, client: HttpClientKind): HttpConfig {
  return {
    client,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    maxRedirects: options.maxRedirects ?? 10,
    insecureSkipTLSVerify: options.insecureSkipTLSVerify === true,
    noConnectionReuse: options.noConnectionReuse === true,
    noVUConnectionReuse: options.noVUConnectionReuse === true,
    discardResponseBodies: options.discardResponseBodies === true,
    throwOnError: options.throw === true,
  };
}
