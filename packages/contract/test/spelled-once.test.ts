import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CART_ITEMS_CART_ID_INDEX, COUPON_CONSUMER_GROUP, EVENT_ID_HEADER, LEDGER_TYPES, ORDER_PAID_STATUS, COUPON_ISSUE_TOPIC, COUPON_STRATEGY_NAMES, ORDER_EVENTS_TOPIC, ORDER_PAID_EVENT,
  PROFILE_NAMES, RUNS_DIR, SCENARIO_ENV, SCENARIO_NAMES, SERVER_ENV, couponKeys, couponPendingIndexKey, orderLockKeys, orderLockReleaseChannel,
} from '../src/index.ts';

/**
 * The contract owns these facts: no other source file may spell them as a string literal.
 * (Tests may: they play the user, who types `strategy=naive`.) reference-server/src joins the
 * list once the server imports the contract.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCANNED = ['packages/core/src', 'packages/cli/src', 'scenarios/src', 'reference-server/src', 'packages/core/bench', 'packages/cli/bench', 'reference-server/bench'];

const coupon = couponKeys('', 0);
const lock = orderLockKeys('', 'user', 0);
const FACTS: readonly string[] = [
  ...COUPON_STRATEGY_NAMES, ...Object.values(SERVER_ENV), COUPON_ISSUE_TOPIC, ORDER_EVENTS_TOPIC, COUPON_CONSUMER_GROUP,
  RUNS_DIR, CART_ITEMS_CART_ID_INDEX, ORDER_PAID_EVENT, EVENT_ID_HEADER, `${ORDER_PAID_STATUS}'`, ...Object.values(LEDGER_TYPES).map((t) => `${t}'`),
  // Quoted whole: a scenario setting is a word like PROFILE that may begin a longer name.
  ...Object.values(SCENARIO_ENV).map((name) => `${name}'`),
  // Key shapes, by their fixed part.
  coupon.issued.slice(0, -1), coupon.stock.slice(0, -1), coupon.soldOut.slice(0, -1), lock?.lock.replace(/0$/, '') ?? '',
  orderLockReleaseChannel(''), couponPendingIndexKey(''),
];
// Lists of names, as a list literal would spell them.
const LISTS = [SCENARIO_NAMES, PROFILE_NAMES].map((names) => names.map((n) => `'${n}'`).join(', '));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts') ? [file] : [];
  });
}

describe('the contract\'s facts are spelled once', () => {
  it('appear as no string literal in core, the CLI, the scenarios or the reference server', () => {
    const files = SCANNED.flatMap((dir) => sources(path.join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      for (const fact of FACTS) {
        // A quoted literal that is the fact or begins with it, or a template that builds a key or
        // topic from a prefix (`${prefix}coupon:issued:`). Backticks alone are how comments quote.
        const literal = new RegExp(`['"}]${fact.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
        if (literal.test(code)) found.push(`${path.relative(ROOT, file)}: ${fact}`);
      }
      for (const list of LISTS) if (code.includes(list)) found.push(`${path.relative(ROOT, file)}: [${list}]`);
    }
    expect(found).toEqual([]);
  });
});
