/* eslint-disable no-control-regex -- terminal escapes are what these tests replay */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createInkReporter } from '../../../src/reporters/ink/index.js';
import { reflowErase, terminalReflows } from '../../../src/reporters/ink/reflow.js';
import { FILE, istioSteps, plan, target } from '../fixtures.js';

/** Replays erase sequences on a list of rows with a cursor, as a terminal would. */
function replay(rows: string[], cursor: number, sequence: string): { rows: string[]; cursor: number } {
  const out = [...rows];
  let at = cursor;
  for (const m of sequence.matchAll(/\x1b\[2K|\x1b\[1A|\x1b\[G|\n/g)) {
    if (m[0] === '\x1b[2K') out[at] = '';
    else if (m[0] === '\x1b[1A') at = Math.max(0, at - 1);
    else if (m[0] === '\n') at++;
  }
  return { rows: out, cursor: at };
}

/** ink's own erase of `count` lines: the cursor row and count-1 rows above it. */
const inkErase = (count: number) => `\x1b[2K${'\x1b[1A\x1b[2K'.repeat(count - 1)}\x1b[G`;

describe('reflow on resize', () => {
  it('erases every row a re-wrapped live area occupies, so that ink’s own erase ends at its top', () => {
    const frame = ['⠋ [5]  grpcurl ' + 'x'.repeat(85), '    │ short', '    │ ' + 'y'.repeat(94)].join('\n');
    // At 100 columns the frame took 3 rows; at 80 the terminal re-wraps it into 2 + 1 + 2 = 5.
    const screen = ['static 1', 'static 2', 'a1', 'a2', 'b', 'c1', 'c2', ''];
    const cursor = screen.length - 1;
    const erase = reflowErase(frame, 100, 80);
    const afterOurs = replay(screen, cursor, erase);
    const afterInk = replay(afterOurs.rows, afterOurs.cursor, inkErase(3 + 1));
    expect(afterInk.rows).toEqual(['static 1', 'static 2', '', '', '', '', '', '']);
    expect(afterInk.cursor).toBe(2);
  });

  it('does nothing when the terminal got wider or nothing re-wraps', () => {
    expect(reflowErase('abc\ndef', 80, 100)).toBe('');
    expect(reflowErase('abc\ndef', 100, 80)).toBe('');
    expect(reflowErase('', 100, 80)).toBe('');
  });

  it('assumes re-wrapping except on terminals known not to', () => {
    expect(terminalReflows({ TERM: 'xterm-256color', TMUX: '/tmp/tmux' })).toBe(true);
    expect(terminalReflows({ TERM: 'xterm-256color', VTE_VERSION: '7600' })).toBe(true);
    expect(terminalReflows({ TERM: 'xterm-256color' })).toBe(true);
    expect(terminalReflows({ TERM: 'xterm', XTERM_VERSION: 'XTerm(390)' })).toBe(false);
    expect(terminalReflows({ TERM: 'linux' })).toBe(false);
  });

  it('the ink reporter writes the erase before ink redraws, only on a TTY', async () => {
    const writes: string[] = [];
    const out = Object.assign(new EventEmitter(), { isTTY: true, columns: 100, rows: 40, write: (t: string) => (writes.push(t), true) });
    const stdout = out as unknown as NodeJS.WriteStream;
    const reporter = createInkReporter({ stdout, stderr: stdout, color: false, tickMs: 0, reflows: true });
    reporter.onRunbookStart?.(plan, target);
    reporter.onStepStart?.(FILE, istioSteps[5]!, 1, Date.now() + 60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    writes.length = 0;
    out.columns = 80;
    out.emit('resize');
    expect(writes[0]).toBe(`\x1b[2K${'\x1b[1A\x1b[2K'.repeat(2)}\x1b[G\n`);
    await reporter.onRunEnd?.({ runbooks: [], summary: { passed: 0, failed: 0, updated: 0, skipped: 0, durationMs: 0 }, interrupted: false });
    expect(out.listenerCount('resize')).toBe(0);
  });
});
