/**
 * shared-iterations (VUs pull from one pool of iterations) and per-vu-iterations (each VU does
 * its own count), both bounded by maxDuration then gracefulStop.
 */
import { scaleInt } from '../config/execution-segment.ts';
import { BaseExecutor } from './executor.ts';

export class SharedIterationsExecutor extends BaseExecutor {
  private total = 0;

  async run(): Promise<void> {
    const s = this.deps.state.scenario;
    if (s.executor !== 'shared-iterations') throw new Error('wrong executor');
    const stripes = this.deps.state.stripes;
    const vus = scaleInt(stripes, s.vus);
    this.total = scaleInt(stripes, s.iterations);
    this.deps.state.progress = () => (this.total ? Math.min(1, this.deps.state.iterationsCompleted / this.total) : 1);
    let claimed = 0;
    let timeUp = false;
    const keepGoing = (): boolean => !timeUp && claimed++ < this.total;
    const vuList = await Promise.all(Array.from({ length: vus }, () => this.take()));
    const loops = Promise.all(vuList.map((vu) => this.loop(vu, keepGoing)));
    await this.untilOr(s.maxDurationMs, loops);
    timeUp = true;
    await this.drain(loops, s.gracefulStopMs);
  }
}

export class PerVuIterationsExecutor extends BaseExecutor {
  async run(): Promise<void> {
    const s = this.deps.state.scenario;
    if (s.executor !== 'per-vu-iterations') throw new Error('wrong executor');
    const vus = scaleInt(this.deps.state.stripes, s.vus);
    const total = vus * s.iterations;
    this.deps.state.progress = () => (total ? Math.min(1, this.deps.state.iterationsCompleted / total) : 1);
    let timeUp = false;
    const vuList = await Promise.all(Array.from({ length: vus }, () => this.take()));
    const loops = Promise.all(
      vuList.map((vu) => {
        let done = 0;
        return this.loop(vu, () => !timeUp && done++ < s.iterations);
      }),
    );
    await this.untilOr(s.maxDurationMs, loops);
    timeUp = true;
    await this.drain(loops, s.gracefulStopMs);
  }
}
