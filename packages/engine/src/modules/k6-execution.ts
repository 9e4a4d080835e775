/** k6/execution: live information about the VU, its scenario, this instance and the test. */
import type { ModuleVu } from './module-vu.ts';
import { TestAbortedError } from './script-errors.ts';

/** What this module uses of its VU (module-vu.ts). */
export type ExecutionVu = Pick<ModuleVu, 'idInInstance' | 'idInTest' | 'iterationInInstance' | 'iterationInScenario' | 'phase' | 'run' | 'scenario' | 'scenarioIterationInInstance' | 'scenarioIterationInTest' | 'userTags'>;

export function createExecutionModule(vu: ExecutionVu): Record<string, unknown> {
  const run = vu.run;
  const inVu = (what: string): void => {
    if (vu.phase === 'init') throw new Error(`getting ${what} information in the init context is not supported`);
  };
  const scenarioOf = () => {
    inVu('scenario');
    const s = vu.scenario;
    if (!s) throw new Error('getting scenario information outside of a scenario (setup/teardown) is not supported');
    return s;
  };
  const vuInfo = {
    get idInInstance() {
      return vu.idInInstance;
    },
    get idInTest() {
      return vu.idInTest;
    },
    get iterationInInstance() {
      inVu('VU');
      return Math.max(vu.iterationInInstance, 0);
    },
    get iterationInScenario() {
      inVu('VU');
      return Math.max(vu.iterationInScenario, 0);
    },
    get tags() {
      return vu.userTags;
    },
    metrics: {
      get tags() {
        return vu.userTags;
      },
      metadata: {} as Record<string, string>,
    },
  };
  const scenarioInfo = {
    get name() {
      return scenarioOf().name;
    },
    get executor() {
      return scenarioOf().scenario.executor;
    },
    get startTime() {
      return scenarioOf().startEpochMs;
    },
    get progress() {
      return scenarioOf().progress();
    },
    get iterationInInstance() {
      scenarioOf();
      return vu.scenarioIterationInInstance;
    },
    get iterationInTest() {
      scenarioOf();
      return vu.scenarioIterationInTest;
    },
  };
  const instance = {
    get iterationsInterrupted() {
      return run.stats.iterationsInterrupted;
    },
    get iterationsCompleted() {
      return run.stats.iterationsCompleted;
    },
    get vusActive() {
      return run.stats.vusActive();
    },
    get vusInitialized() {
      return run.stats.vusInitialized();
    },
    get currentTestRunDuration() {
      return run.elapsedMs();
    },
  };
  const test = {
    abort(message?: string): never {
      const text = message ? `test aborted: ${message}` : 'test aborted';
      run.abort({ kind: 'script', message: text });
      throw new TestAbortedError(text);
    },
    fail(message?: string): void {
      run.markFailed(message ?? 'test marked as failed');
    },
    get options() {
      return run.options;
    },
  };
  return { vu: vuInfo, scenario: scenarioInfo, instance, test };
}
