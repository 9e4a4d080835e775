/** Registers the k6 module hooks once per process (idempotent, cheap to call per run). */
import { register } from 'node:module';
import { HOOKS_SOURCE, hookData } from './hooks-source.ts';
import { hooksPort } from './transformed-sources.ts';

let registered = false;

export function registerK6Hooks(): void {
  if (registered) return;
  const port = hooksPort();
  register(`data:text/javascript,${encodeURIComponent(HOOKS_SOURCE)}`, { data: { ...hookData(), port }, transferList: [port] });
  registered = true;
}
