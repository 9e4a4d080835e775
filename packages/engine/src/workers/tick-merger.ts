/**
 * The parent's per-second series in a run with workers: every worker sends its point for second
 * i, and the sum is emitted once all N have (or, for the seconds some worker never reached, at
 * the end).
 */
import { sumPoints } from '../output/time-series.ts';
import type { TimeSeriesPoint } from '../output/progress-events.ts';

export class TickMerger {
  private readonly pending = new Map<number, TimeSeriesPoint[]>();

  constructor(
    private readonly workers: number,
    private readonly emit: (point: TimeSeriesPoint) => void,
  ) {}

  add(index: number, point: TimeSeriesPoint): void {
    const list = this.pending.get(index) ?? [];
    list.push(point);
    this.pending.set(index, list);
    if (list.length === this.workers) this.emitTick(index);
  }

  /** The seconds not every worker reported (a worker stopped early), in order. */
  flush(): void {
    for (const index of [...this.pending.keys()].sort((a, b) => a - b)) this.emitTick(index);
  }

  private emitTick(index: number): void {
    const list = this.pending.get(index);
    if (!list || list.length === 0) return;
    this.pending.delete(index);
    this.emit(list.reduce(sumPoints));
  }
}
