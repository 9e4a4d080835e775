import { DEFAULT_COUPON_STRATEGY, SERVER_ENV, orderEventsTopic } from '@perf-lab/contract';
import type { PerfLabConfig } from '../config/config.ts';

/** Where the audit learnt the server's settings: said which, in the report. */
export type SettingsSource = 'given to audit' | 'run record' | 'defaults (the run recorded no server settings)';

export interface AuditSettings {
  /** By the server's REF_* names, as used. */
  readonly values: Readonly<Record<string, string>>;
  readonly source: SettingsSource;
  /** By name; its facts (what it keeps in Redis) come from the contract (select-invariants.ts). */
  readonly couponStrategy: string;
  /** The topic the outbox relay publishes to. */
  readonly orderEventsTopic: string;
}

/**
 * The server's settings decide what the audit may expect (no Redis state under db-only, the
 * outbox's topic). Explicit settings win; then the run's record of what the server was
 * started with; failing both, the server's defaults — and the report says which it used.
 */
export function resolveAuditSettings(
  config: PerfLabConfig,
  given: Readonly<Record<string, string>> | undefined,
  /** undefined: the run did not know them; {} : it knew the server ran on its defaults. */
  recorded: Readonly<Record<string, string>> | undefined,
): AuditSettings {
  const [values, source]: [Readonly<Record<string, string>>, SettingsSource] = given && Object.keys(given).length > 0
    ? [given, 'given to audit']
    : recorded ? [recorded, 'run record'] : [{}, 'defaults (the run recorded no server settings)'];
  return {
    values, source, couponStrategy: values[SERVER_ENV.couponStrategy] ?? DEFAULT_COUPON_STRATEGY,
    orderEventsTopic: orderEventsTopic(config.kafka.topicPrefix, values[SERVER_ENV.outboxTopic]),
  };
}

export function describeSettings(settings: AuditSettings): string {
  const pairs = Object.entries(settings.values).map(([k, v]) => `${k}=${v}`);
  return `${pairs.length > 0 ? pairs.join(', ') : 'server defaults'} (${settings.source})`;
}
