import type { HttpClientKind } from '@perf-lab/engine';

/**
 * What can run a bundled scenario: the embedded engine, or a k6 binary the user installed
 * (perf-lab never installs one). The CLI offers these choices through core, so it never
 * imports the engine itself.
 */
export const ENGINE_KINDS = ['embedded', 'k6'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

/** The embedded engine's clients for plain HTTP: its own HTTP/1.1 client (the default) or undici. */
export const HTTP_CLIENT_KINDS = ['http1', 'undici'] as const satisfies readonly HttpClientKind[];
export type { HttpClientKind };
