/**
 * @perf-lab/contract: the facts perf-lab and the reference server must agree on, spelled once.
 * No runtime dependencies and no Node APIs, so the server, the toolkit and the k6 scenario
 * bundles can all import it.
 */
export {
  COUPON_STRATEGY, COUPON_STRATEGIES, COUPON_STRATEGY_NAMES, DEFAULT_COUPON_STRATEGY, COUPON_REDIS_STATE,
  isCouponStrategy, holdingsTables,
} from './coupon-strategies.ts';
export type { CouponStrategy, CouponStrategyFacts, CouponStrategyTable, CouponRedisState } from './coupon-strategies.ts';
export { COUPON_KEY_PATTERNS, couponKeys, couponPendingIndexKey, orderLockKeys, orderLockReleaseChannel } from './redis-keys.ts';
export type { CouponKeys, OrderLockKeys } from './redis-keys.ts';
export { COUPON_ISSUE_TOPIC, ORDER_EVENTS_TOPIC, COUPON_CONSUMER_GROUP, DEFAULT_COUPON_PARTITIONS, couponIssueTopic, orderEventsTopic } from './kafka-topics.ts';
export { ORDER_PAID_EVENT, ORDER_PAID_FIELDS, orderPaidPayload } from './order-events.ts';
export type { OrderPaidLine, OrderPaidPayload } from './order-events.ts';
export { TABLES, CART_ITEMS_CART_ID_INDEX } from './tables.ts';
export type { TableName } from './tables.ts';
export { LAB_ENV, SERVER_ENV, DEFAULT_ADDRESSES } from './server-env.ts';
export type { ServerEnvKey, ServerEnvName } from './server-env.ts';
export {
  SERVER_SETTINGS, SERVER_SETTING_NAMES, MAX_SERVER_INSTANCES, LOCK_SCOPES, DEFAULT_LOCK_SCOPE, DEFAULT_MYSQL_POOL, CART_INDEX_STATES,
} from './server-settings.ts';
export type { ServerSettingName, ServerSettingSpec, LockScope, CartIndexState } from './server-settings.ts';
export { SCENARIO_NAMES, PROFILE_NAMES, SYSTEM_NAMES, isScenarioName, isProfileName } from './scenarios.ts';
export type { ScenarioName, ProfileName, SystemName } from './scenarios.ts';
export { RUNS_DIR } from './run-folders.ts';
export { BUSINESS_REASONS, REFERENCE_API, formatId, fillText, fillBody, keyTemplate, valueAt } from './api-contract.ts';
export type {
  ApiContract, BusinessReason, CouponListContract, IdFormats, JsonValue, OperationContract, OrderContract, Refusals, TemplateValues,
} from './api-contract.ts';
export { ApiContractError, parseApiContract } from './api-contract-parse.ts';
export { SCENARIO_ENV } from './scenario-env.ts';
export { ORDER_PAID_STATUS, LEDGER_TYPES, ORDER_AGGREGATE, EVENT_ID_HEADER } from './order-values.ts';
export type { OrderPaidStatus, LedgerType } from './order-values.ts';
