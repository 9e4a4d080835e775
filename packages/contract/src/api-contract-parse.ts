import {
  BUSINESS_REASONS, REFERENCE_API, type ApiContract, type CouponListContract, type JsonValue, type OperationContract,
  type OrderContract, type Refusals,
} from './api-contract.ts';

/**
 * Validates a user's API declaration (from perf-lab.config.* or the scenarios' API_CONTRACT)
 * into an ApiContract. Each section given replaces that part of the reference API field by
 * field, so a user states only what differs. Every error names the exact place
 * (`api.orderCreate.refusals.statuses[0]`), so a wrong contract fails before any load.
 */
export class ApiContractError extends Error {
  constructor(readonly where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'ApiContractError';
  }
}

type Obj = Readonly<Record<string, unknown>>;

function object(value: unknown, where: string): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ApiContractError(where, `expected an object, got ${JSON.stringify(value)}`);
  return value as Obj;
}

function known(value: Obj, where: string, keys: readonly string[]): void {
  const extra = Object.keys(value).filter((k) => !keys.includes(k));
  if (extra.length > 0) throw new ApiContractError(`${where}.${extra[0]}`, `unknown key; known: ${keys.join(', ')}`);
}

function text(value: unknown, where: string, fallback: string, check?: (s: string) => string | undefined): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new ApiContractError(where, `expected a string, got ${JSON.stringify(value)}`);
  const problem = check?.(value);
  if (problem) throw new ApiContractError(where, problem);
  return value;
}

function statuses(value: unknown, where: string, fallback: readonly number[], low: number, high: number): readonly number[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length === 0) throw new ApiContractError(where, `expected a non-empty list of statuses ${low}–${high}`);
  return value.map((s: unknown, i) => {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < low || s > high) {
      throw new ApiContractError(`${where}[${i}]`, `expected an HTTP status ${low}–${high}, got ${JSON.stringify(s)}`);
    }
    return s;
  });
}

const idFormat = (s: string) => (s.split('{n}').length === 2 ? undefined : `an id format must hold {n} exactly once, e.g. "test-user-{n}", got "${s}"`);
const pathFormat = (s: string) => (s.startsWith('/') ? undefined : `a path starts with "/", got "${s}"`);
const noPlaceholders = (allowed: readonly string[]) => (s: string) => {
  const bad = [...s.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).find((name) => !allowed.includes(name ?? ''));
  return bad === undefined ? undefined : `unknown placeholder {${bad}}; allowed: ${allowed.map((a) => `{${a}}`).join(', ')}`;
};

function refusals(value: unknown, where: string, fallback: Refusals): Refusals {
  if (value === undefined) return fallback;
  const r = object(value, where);
  known(r, where, ['statuses', 'codes']);
  let codes = fallback.codes;
  if (r['codes'] !== undefined) {
    const c = object(r['codes'], `${where}.codes`);
    known(c, `${where}.codes`, BUSINESS_REASONS);
    codes = Object.fromEntries(Object.entries(c).map(([reason, list]) => {
      if (!Array.isArray(list) || list.some((code) => typeof code !== 'string' || code === '')) {
        throw new ApiContractError(`${where}.codes.${reason}`, 'expected a list of error codes (non-empty strings)');
      }
      return [reason, list as string[]];
    }));
  }
  return { statuses: statuses(r['statuses'], `${where}.statuses`, fallback.statuses, 400, 499), codes };
}

function operation(value: Obj, where: string, fallback: OperationContract, placeholders: readonly string[]): OperationContract {
  const method = text(value['method'], `${where}.method`, fallback.method, (s) => (s === 'POST' || s === 'PUT' ? undefined : 'expected POST or PUT'));
  const headers = value['headers'] === undefined ? fallback.headers : object(value['headers'], `${where}.headers`);
  for (const [name, v] of Object.entries(headers)) text(v, `${where}.headers.${name}`, '', noPlaceholders(placeholders));
  const body = value['body'] === undefined ? fallback.body : object(value['body'], `${where}.body`);
  return {
    method: method as OperationContract['method'],
    path: text(value['path'], `${where}.path`, fallback.path, (s) => pathFormat(s) ?? noPlaceholders(placeholders)(s)),
    headers: headers as Record<string, string>,
    body: body as Record<string, JsonValue>,
    success: statuses(value['success'], `${where}.success`, fallback.success, 200, 299),
    refusals: refusals(value['refusals'], `${where}.refusals`, fallback.refusals),
  };
}

const OPERATION_KEYS = ['method', 'path', 'headers', 'body', 'success', 'refusals'];

export function parseApiContract(value: unknown, where = 'api'): ApiContract {
  if (value === undefined) return REFERENCE_API;
  const v = object(value, where);
  known(v, where, ['ids', 'errorCodeField', 'couponIssue', 'orderCreate', 'couponList']);
  const base = REFERENCE_API;
  const ids = v['ids'] === undefined ? {} : object(v['ids'], `${where}.ids`);
  known(ids, `${where}.ids`, ['user', 'coupon', 'product']);
  const coupon = v['couponIssue'] === undefined ? {} : object(v['couponIssue'], `${where}.couponIssue`);
  known(coupon, `${where}.couponIssue`, OPERATION_KEYS);
  const order = v['orderCreate'] === undefined ? {} : object(v['orderCreate'], `${where}.orderCreate`);
  known(order, `${where}.orderCreate`, [...OPERATION_KEYS, 'couponField', 'orderIdField', 'paidAmountField']);
  const list = v['couponList'] === undefined ? {} : object(v['couponList'], `${where}.couponList`);
  known(list, `${where}.couponList`, ['path', 'listField', 'couponIdField', 'usedField']);
  const w = (k: string) => `${where}.orderCreate.${k}`;
  const orderCreate: OrderContract = {
    ...operation(order, `${where}.orderCreate`, base.orderCreate, ['user', 'key']),
    couponField: text(order['couponField'], w('couponField'), base.orderCreate.couponField),
    orderIdField: text(order['orderIdField'], w('orderIdField'), base.orderCreate.orderIdField),
    paidAmountField: text(order['paidAmountField'], w('paidAmountField'), base.orderCreate.paidAmountField),
  };
  const l = (k: string) => `${where}.couponList.${k}`;
  const couponList: CouponListContract = {
    path: text(list['path'], l('path'), base.couponList.path, (s) => pathFormat(s) ?? noPlaceholders(['user'])(s)),
    listField: text(list['listField'], l('listField'), base.couponList.listField),
    couponIdField: text(list['couponIdField'], l('couponIdField'), base.couponList.couponIdField),
    usedField: text(list['usedField'], l('usedField'), base.couponList.usedField),
  };
  return {
    ids: {
      user: text(ids['user'], `${where}.ids.user`, base.ids.user, idFormat),
      coupon: text(ids['coupon'], `${where}.ids.coupon`, base.ids.coupon, idFormat),
      product: text(ids['product'], `${where}.ids.product`, base.ids.product, idFormat),
    },
    errorCodeField: text(v['errorCodeField'], `${where}.errorCodeField`, base.errorCodeField),
    couponIssue: operation(coupon, `${where}.couponIssue`, base.couponIssue, ['user', 'coupon', 'key']),
    orderCreate,
    couponList,
  };
}
