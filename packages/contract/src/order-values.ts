/**
 * Values the reference server writes into its order tables and the audit reads back (the
 * reference schema map, `perf-lab init`'s proposals, the reference-only checks).
 */
export const ORDER_PAID_STATUS = 'PAID';
export type OrderPaidStatus = typeof ORDER_PAID_STATUS;

/** `balance_history.type`: a debit for an order, a credit of a top-up. */
export const LEDGER_TYPES = { payment: 'PAYMENT', charge: 'CHARGE' } as const;
export type LedgerType = (typeof LEDGER_TYPES)[keyof typeof LEDGER_TYPES];

/** `outbox_events.aggregate_type` of an order's event. */
export const ORDER_AGGREGATE = 'order';

/** The Kafka header the outbox relay puts each event's outbox id in; the audit matches by it. */
export const EVENT_ID_HEADER = 'event-id';
