/** A test in this process: the phases of run-phases.ts, with VUs initialized and scenarios run here. */
import { TimeSeriesCollector } from '../output/time-series.ts';
import { describeScriptError } from '../runtime/describe-script-error.ts';
import { runPhases } from './run-phases.ts';
import { executeScenarios } from './execute-scenarios.ts';
import { EXIT_CODES } from './exit-codes.ts';
import { planInitialVus } from './plan-vus.ts';
import { PrepareError } from './prepare-run.ts';
import type { RunOptions, RunResult } from './run-options.ts';

export function runLocal(opts: RunOptions): Promise<RunResult> {
  return runPhases(opts, {
    async beforeSetup(p, stage) {
      for (const o of stage.outputs) o.attach(p.registry);
      // Created before setup() so that setup's requests land in the first second of the series.
      stage.collector = new TimeSeriesCollector(p.metrics);
      stage.outcome.timeSeries = stage.collector.points;
      try {
        await p.pool.preInit(planInitialVus(p.scenarios, p.stripes));
      } catch (err) {
        throw new PrepareError(EXIT_CODES.SCRIPT_EXCEPTION, describeScriptError(err));
      }
    },
    async execute(p, { outputs, collector }) {
      if (!collector) throw new Error('the time series collector is created before setup()');
      p.run.emit({ type: 'phase', phase: 'running' });
      await executeScenarios(p, { collector, outputs, checkThresholds: true });
      return { executionMs: performance.now() - p.run.executionStart };
    },
  });
}
