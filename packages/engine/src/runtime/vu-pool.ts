/**
 * Initializes VUs (one evaluation of the script each, like k6's per-VU init context) and lends
 * them to executors. As in k6, a VU whose iteration was interrupted goes back to the pool: same
 * `__VU`, its `__ITER` going on, no new init, so `vus_max` stays what was initialized.
 */
import { pathToFileURL } from 'node:url';
import { globalIndex } from '../config/execution-segment.ts';
import { RUN_PARAM, VU_PARAM } from '../loader/module-names.ts';
import { nativeImport } from '../loader/native-import.ts';
import type { RunContext } from './run-context.ts';
import { Vu } from './vu.ts';
import { createVuModule } from './vu-modules.ts';

/** How many VUs initialize at once: the loader thread serializes much of it anyway. */
const INIT_CONCURRENCY = 32;

export class VuPool {
  private readonly free: Vu[] = [];
  /** Interrupted VUs on their way back (see release()), and who waits for one. */
  private returning = 0;
  private readonly waiters: Array<(vu: Vu) => void> = [];
  private readonly byId = new Map<number, Vu>();
  private readonly modules = new Map<Vu, Map<string, object>>();
  private nextId = 1;
  private initializedCount = 0;
  private lifecycleVus = 0;

  constructor(
    private readonly run: RunContext,
    private readonly scriptPath: string,
  ) {}

  get initialized(): number {
    return this.initializedCount;
  }

  /** The bridge's view: module `name` of VU `id`. */
  module(id: number, name: string): object {
    const vu = this.byId.get(id);
    if (!vu) throw new Error(`perf-lab engine: unknown VU ${id}`);
    let mods = this.modules.get(vu);
    if (!mods) this.modules.set(vu, (mods = new Map()));
    let m = mods.get(name);
    if (!m) mods.set(name, (m = createVuModule(vu, name)));
    return m;
  }

  /** Evaluates the script for a VU. id 0 is the VU that reads options. */
  async initVu(id: number): Promise<Vu> {
    const idInTest = id === 0 ? 0 : globalIndex(this.run.stripes, id - 1) + 1;
    const vu = await this.load(id, new Vu(this.run, id, idInTest));
    if (id !== 0) this.initializedCount++;
    return vu;
  }

  /** A fresh VU 0 (`__VU` is 0) with a module graph of its own, for setup(), teardown() or
   * handleSummary(): k6 gives each of them a new VU, so no module state passes between them. Its
   * key in the module URLs is a fraction (0.1, 0.2…), which no numbered VU uses. */
  async initLifecycleVu(): Promise<Vu> {
    this.lifecycleVus++;
    return this.load(this.lifecycleVus / 10, new Vu(this.run, 0, 0));
  }

  private async load(key: number, vu: Vu): Promise<Vu> {
    this.byId.set(key, vu);
    const url = pathToFileURL(this.scriptPath);
    url.searchParams.set(RUN_PARAM, this.run.id);
    url.searchParams.set(VU_PARAM, String(key));
    vu.exports = await nativeImport(url.href);
    vu.phase = 'vu';
    return vu;
  }

  async preInit(count: number): Promise<void> {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) ids.push(this.nextId++);
    for (let i = 0; i < ids.length; i += INIT_CONCURRENCY) {
      const vus = await Promise.all(ids.slice(i, i + INIT_CONCURRENCY).map((id) => this.initVu(id)));
      this.free.push(...vus);
    }
  }

  /** A free VU; one coming back from an interruption before a new one is initialized, as k6
   * never initializes past the VUs it planned while one of them is only being returned. */
  async acquire(): Promise<Vu> {
    const vu = this.free.shift();
    if (vu) return vu;
    if (this.returning > this.waiters.length) return new Promise((resolve) => this.waiters.push(resolve));
    return this.initVu(this.nextId++);
  }

  /**
   * An interrupted VU comes back after a macrotask: by then every promise reaction its abandoned
   * iteration had queued has run and seen it interrupted (k6 calls return promises that never
   * settle, so that iteration stays suspended for good). Only then is it reset and lent again.
   */
  release(vu: Vu): void {
    vu.enterScenario(undefined);
    if (!vu.interrupted) {
      this.handOut(vu);
      return;
    }
    this.returning++;
    setImmediate(() => {
      this.returning--;
      vu.reactivate();
      this.handOut(vu);
    });
  }

  private handOut(vu: Vu): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(vu);
    else this.free.push(vu);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.byId.values()].map((vu) => vu.close()));
  }
}
