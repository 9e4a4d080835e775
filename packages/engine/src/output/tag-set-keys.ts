/**
 * A tag set's identity as a string (sorted k=v pairs), cached per Tags object: the engine reuses
 * one Tags object for many samples, so outputs that group samples by series compute it once.
 */
import type { Tags } from '../metrics/metric-types.ts';

export class TagSetKeys {
  private readonly keys = new WeakMap<Tags, string>();

  of(tags: Tags): string {
    let k = this.keys.get(tags);
    if (k === undefined) {
      k = Object.keys(tags).sort().map((t) => `${t}=${tags[t]}`).join('\u0000');
      this.keys.set(tags, k);
    }
    return k;
  }
}
