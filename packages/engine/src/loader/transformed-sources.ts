/**
 * The channel over which the main thread hands the load-time transform's output to the module
 * hooks (which run in Node's loader thread): one message per run, posted before the run's first
 * import, and one when the run ends so the loader thread lets go of the sources.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';

let channel: { main: MessagePort; hooks: MessagePort } | undefined;

/** The hooks' end of the channel, transferred once when the hooks are registered. */
export function hooksPort(): MessagePort {
  if (!channel) {
    const c = new MessageChannel();
    c.port1.unref();
    channel = { main: c.port1, hooks: c.port2 };
  }
  return channel.hooks;
}

export function publishTransformedSources(runId: string, files: ReadonlyMap<string, string>): void {
  hooksPort();
  channel?.main.postMessage({ run: runId, files: [...files] });
}

export function dropTransformedSources(runId: string): void {
  channel?.main.postMessage({ run: runId, drop: true });
}
