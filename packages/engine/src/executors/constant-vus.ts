/** constant-vus: a fixed number of VUs loop for `duration`, then gracefulStop. */
import { scaleInt } from '../config/execution-segment.ts';
import { BaseExecutor } from './executor.ts';

export class ConstantVusExecutor extends BaseExecutor {
  async run(): Promise<void> {
    const s = this.deps.state.scenario;
    if (s.executor !== 'constant-vus') throw new Error('wrong executor');
    const vus = scaleInt(this.deps.state.stripes, s.vus);
    this.deps.state.progress = () => Math.min(1, this.now() / s.durationMs);
    let timeUp = false;
    const vuList = await Promise.all(Array.from({ length: vus }, () => this.take()));
    const loops = Promise.all(vuList.map((vu) => this.loop(vu, () => !timeUp)));
    await this.untilOr(s.durationMs, loops);
    timeUp = true;
    await this.drain(loops, s.gracefulStopMs);
  }
}
