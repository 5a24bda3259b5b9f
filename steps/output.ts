/**
 * Collects what a step prints while streaming it through `ctx.write` as it comes.
 */
import type { StepContext } from '../src/core/step.js';

export class OutputCollector {
  stdout = '';
  stderr = '';

  constructor(private readonly ctx: Pick<StepContext, 'write'>) {}

  out(text: string): void {
    if (text === '') return;
    this.stdout += text;
    this.ctx.write('stdout', text);
  }

  err(text: string): void {
    if (text === '') return;
    this.stderr += text;
    this.ctx.write('stderr', text);
  }
}
