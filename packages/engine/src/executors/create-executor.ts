/** Picks the executor implementation for a scenario. */
import { ArrivalRateExecutor } from './arrival-rate.ts';
import { ConstantVusExecutor } from './constant-vus.ts';
import type { Executor, ExecutorDeps } from './executor.ts';
import { PerVuIterationsExecutor, SharedIterationsExecutor } from './iterations-executors.ts';
import { RampingVusExecutor } from './ramping-vus.ts';

export function createExecutor(deps: ExecutorDeps): Executor {
  switch (deps.state.scenario.executor) {
    case 'shared-iterations':
      return new SharedIterationsExecutor(deps);
    case 'per-vu-iterations':
      return new PerVuIterationsExecutor(deps);
    case 'constant-vus':
      return new ConstantVusExecutor(deps);
    case 'ramping-vus':
      return new RampingVusExecutor(deps);
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return new ArrivalRateExecutor(deps);
  }
}
