/** `--step` through a cell of several commands: the cell's recording shows before its first command. */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/model.js';
import { createWorkshopGate } from '../../src/reporters/workshop.js';
import { FILE, makeStep, target } from './fixtures.js';

class Keys extends EventEmitter {
  isTTY = true;
  setRawMode() {
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
}

const gates: { close(): void }[] = [];
afterEach(() => {
  for (const g of gates.splice(0)) g.close();
});

const cell = { index: 3, first: 0, last: 1 };
const steps = [
  makeStep(0, 'seldon', 'seldon model load -f a.yaml', { cell }),
  makeStep(1, 'seldon', 'seldon model load -f b.yaml', { cell, expected: { text: '{}\n{}', location: { format: 'ipynb', cell: 5 } } }),
];
const plan: Plan = { file: FILE, format: 'ipynb', frontMatter: {}, steps };

/** A gate on a scripted terminal, at the start of the plan's runbook; `screen.out` collects what it prints. */
function startGate() {
  const stdin = new Keys();
  const screen = { out: '' };
  const gate = createWorkshopGate({ stdin, stdout: { isTTY: true, write: (t: string) => (screen.out += t) }, color: false, columns: 80, now: () => 0, interrupt: async () => undefined });
  gates.push(gate);
  gate.reporter.onRunbookStart?.(plan, target);
  return { stdin, gate, screen };
}

describe('workshop gate and cells', () => {
  it("shows the cell's recording before its first command, and where each command sits in the cell", async () => {
    const { stdin, gate, screen } = startGate();
    const first = gate.before(FILE, steps[0]!);
    stdin.emit('data', Buffer.from('\r'));
    expect(await first).toBe('run');
    expect(screen.out).toContain('cell 3: command 1 of 2');
    expect(screen.out).toContain("the cell's recorded output:\n  {}\n  {}\n");
    screen.out = '';
    const second = gate.before(FILE, steps[1]!);
    stdin.emit('data', Buffer.from('\r'));
    expect(await second).toBe('run');
    expect(screen.out).toContain('cell 3: command 2 of 2');
    expect(screen.out).not.toContain('recorded output');
  });

  it("labels the cell's joined output as the cell's on its last command, and a command's own output as its own", async () => {
    const { stdin, gate, screen } = startGate();
    const report = (index: number, expected: string | undefined, actual: string) =>
      ({ index, kind: 'seldon' as const, line: 1, command: steps[index]!.command, status: 'passed' as const, durationMs: 1, attempts: 1, exitCode: 0, expected, actual });
    // Compared as a whole: the last command's report carries the cell's recording and what the whole cell printed.
    const whole = gate.after(FILE, steps[1]!, report(1, '{}\n{}', '{}\n{}'));
    stdin.emit('data', Buffer.from('\r'));
    expect(await whole).toBe('next');
    expect(screen.out).toContain("the cell's output:\n  {}\n  {}\n");
    screen.out = '';
    // Split by command: the last command's report carries its own part, and shows its own output.
    const split = gate.after(FILE, steps[1]!, report(1, '{}', '{}'));
    stdin.emit('data', Buffer.from('\r'));
    expect(await split).toBe('next');
    expect(screen.out).toContain('output:\n  {}\n');
    expect(screen.out).not.toContain("the cell's output");
  });
});
