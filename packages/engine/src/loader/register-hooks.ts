/** Registers the k6 module hooks once per process (idempotent, cheap to call per run). */
import { register } from 'node:module';
import { HOOKS_SOURCE, hookData } from './hooks-source.ts';

let registered = false;

export function registerK6Hooks(): void {
  if (registered) return;
  register(`data:text/javascript,${encodeURIComponent(HOOKS_SOURCE)}`, { data: hookData() });
  registered = true;
}
