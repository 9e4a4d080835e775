import type { SeedManifest } from '../seed/seed-manifest.ts';
import { httpGet } from './probe-target.ts';

/**
 * One cheap read of the API the scenario will load, so a target that is healthy but serves
 * another API, or an unseeded database, is caught before the first request of the test:
 * coupon scenarios read the seeded coupon, order scenarios a seeded user's balance.
 */
export async function probeContract(
  baseUrl: string, scenario: string, manifest: SeedManifest | undefined, ids: { couponId: number; userId: number }, timeoutMs: number,
): Promise<string | undefined> {
  const coupon = scenario !== 'order';
  const what = coupon ? `coupon ${ids.couponId}` : `user ${ids.userId}`;
  const route = coupon ? `/api/coupons/${ids.couponId}` : `/api/users/${ids.userId}/balance`;
  const answer = await httpGet(new URL(route, baseUrl).toString(), timeoutMs);
  if (answer.kind === 'error') return `GET ${route} failed (${answer.message}) although /health answered: see the server's log`;
  const notFound = coupon ? 'COUPON_NOT_FOUND' : 'USER_NOT_FOUND';
  if (answer.status === 404 && answer.errorCode === notFound) return `${what} not found at the target (${notFound}): run \`perf-lab seed\``;
  if (answer.status !== 200 || !answer.body.startsWith('{')) {
    const code = answer.errorCode ? ` ${answer.errorCode}` : '';
    return `GET ${route} answered HTTP ${answer.status}${code}, not the contract's ${what}: the target does not speak perf-lab's API — ` +
      'is --target / PERF_LAB_TARGET_URL the API under test?';
  }
  if (coupon && manifest) {
    const seeded = manifest.coupons.find((c) => c.id === ids.couponId);
    const total = (JSON.parse(answer.body) as { total?: unknown }).total;
    if (seeded && typeof total === 'number' && total !== seeded.total) {
      return `the target's ${what} has a total of ${total}, but the seed manifest (seeded ${manifest.seededAt}) says ${seeded.total}: ` +
        'the target reads another database than the lab, or the data changed since — run `perf-lab seed`, or check --target';
    }
  }
  return undefined;
}
