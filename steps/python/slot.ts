/**
 * The runbook's one Python kernel, kept in the run's cache: started at the first Python step (a runbook without
 * Python never starts one), replaced by a fresh one after it was killed or died, and closed when the runbook ends
 * (the runner closes every cache value that has close()).
 */
import type { StepContext } from '../../src/core/step.js';
import { Kernel, type KernelInfo } from './kernel.js';

const cacheKey = 'python:kernel';

export type Acquired =
  | { type: 'kernel'; kernel: Kernel; info: KernelInfo; note?: string }
  | { type: 'skip'; why: string }
  | { type: 'failed'; why: string };

export class KernelSlot {
  private current: { kernel: Kernel; info: KernelInfo } | undefined;
  /** Why the previous kernel is gone, said once by the next Python step. */
  private lost: string | undefined;
  /** Set when python3 is not installed: every Python step of the run is skipped for it. */
  private missing: string | undefined;

  /** The live kernel, started now if there is none. */
  async acquire(ctx: StepContext): Promise<Acquired> {
    if (this.missing) return { type: 'skip', why: this.missing };
    if (this.current?.kernel.alive) return { type: 'kernel', ...this.current };
    const python = ctx.vars.RUNBOOK_PYTHON || 'python3';
    const started = await Kernel.start({ python, cwd: ctx.cwd, env: { ...ctx.vars }, ipython: ctx.vars.RUNBOOK_IPYTHON !== '0' }, ctx.signal);
    if (started.type === 'missing') {
      this.missing = `${started.why}: Python cells are skipped`;
      return { type: 'skip', why: this.missing };
    }
    if (started.type === 'failed') return started;
    this.current = { kernel: started.kernel, info: started.info };
    const note = this.lost && `runbook: started a fresh Python kernel (${this.lost}); globals of earlier cells are gone\n`;
    this.lost = undefined;
    return { type: 'kernel', ...this.current, ...(note && { note }) };
  }

  /** Records that the kernel is gone, so the next step starts a fresh one and says why. */
  forget(why: string): void {
    this.lost = why;
    const old = this.current;
    this.current = undefined;
    void old?.kernel.close();
  }

  async close(): Promise<void> {
    const old = this.current;
    this.current = undefined;
    await old?.kernel.close();
  }
}

export function kernelSlot(cache: Map<string, unknown>): KernelSlot {
  let slot = cache.get(cacheKey);
  if (!(slot instanceof KernelSlot)) {
    slot = new KernelSlot();
    cache.set(cacheKey, slot);
  }
  return slot as KernelSlot;
}
