/** Builds a VU's module objects on first import; each VU gets its own set. */
import type { Vu } from './vu.ts';
import { createCoreModule } from '../modules/k6-core.ts';
import { createHttpModule } from '../modules/k6-http.ts';
import { createMetricsModule } from '../modules/k6-metrics.ts';
import { createExecutionModule } from '../modules/k6-execution.ts';
import { createDataModule } from '../modules/k6-data.ts';
import { createTimersModule } from '../modules/k6-timers.ts';
import { createEncodingModule } from '../modules/k6-encoding.ts';
import { createCryptoModule } from '../modules/k6-crypto.ts';
import { createGlobalsModule } from '../modules/vu-globals.ts';
import { createSummaryJslib } from '../modules/k6-summary-jslib.ts';
import type { K6ModuleName } from '../loader/module-names.ts';

const FACTORIES: Readonly<Record<K6ModuleName, (vu: Vu) => Record<string, unknown>>> = {
  k6: createCoreModule,
  'k6/http': createHttpModule,
  'k6/metrics': createMetricsModule,
  'k6/execution': createExecutionModule,
  'k6/data': createDataModule,
  'k6/timers': createTimersModule,
  'k6/encoding': createEncodingModule,
  'k6/crypto': createCryptoModule,
  'jslib/k6-summary': createSummaryJslib,
  globals: createGlobalsModule,
};

export function createVuModule(vu: Vu, name: string): Record<string, unknown> {
  const factory = FACTORIES[name as K6ModuleName];
  if (!factory) throw new Error(`unknown engine module "${name}"`);
  return factory(vu);
}

export const ENGINE_MODULE_NAMES = Object.keys(FACTORIES) as K6ModuleName[];
