/**
 * Guided workshop mode (`--step`): before each step, the prose that leads to it, the command and the recorded
 * output; after it, the actual output and a large verdict. A presenter drives it with single keys.
 * Everything is printed once and never redrawn (no flicker on a projector), except the one-line key prompt.
 */
import type { Plan, Step } from '../core/model.js';
import type { CleanupReport, Reporter, RunbookReport, RunReport, StepGate, StepReport, Target } from '../core/events.js';
import { renderMarkdown } from '../ui/markdown.js';
import { createStyle, type Style } from '../ui/style.js';
import { formatDuration, indent, sanitize } from '../ui/text.js';
import { displayWidth, truncate } from '../ui/width.js';
import { leftText, limitMs, location, runbookSummary, timing } from './summary.js';

/** The parts of a TTY stdin the gate uses; a fake stream in tests. */
export interface KeyInput {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(raw: boolean): unknown;
  on(event: 'data', listener: (data: Buffer | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  off(event: 'data', listener: (data: Buffer | string) => void): unknown;
  off(event: 'end', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface WorkshopOptions {
  stdin: KeyInput;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  color: boolean;
  columns: number;
  /** Epoch-ms clock, for the time left before a step's deadline. */
  now?: () => number;
  /**
   * Ctrl-C at a prompt: raw mode keeps the terminal from sending SIGINT, so the gate asks for the same interrupt
   * (stop, clean up, exit 130) and resolves once it is under way. Default: SIGINT to this process, which the
   * command's handler turns into the run's abort.
   */
  interrupt?: () => Promise<void>;
}

/** Raises SIGINT here and resolves when it has been delivered (after the handlers registered earlier ran). */
function raiseSigint(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.kill(process.pid, 'SIGINT');
  });
}

export type WorkshopGate = StepGate & {
  reporter: Reporter;
  /** Puts the terminal back as it was (the gate also does this after every key and when the process exits). */
  close(): void;
};

type Key = 'enter' | 's' | 'r' | 'e' | 'q' | 'interrupt';

/** Keys as they arrive in raw mode; Ctrl-D quits (with cleanup) and Ctrl-C interrupts, since raw mode turns off SIGINT. */
function keyOf(data: string): Key | undefined {
  for (const ch of data) {
    if (ch === '\r' || ch === '\n') return 'enter';
    if (ch === '\x03') return 'interrupt';
    if (ch === '\x04') return 'q';
    const lower = ch.toLowerCase();
    if (lower === 's' || lower === 'r' || lower === 'e' || lower === 'q') return lower;
  }
  return undefined;
}

export function createWorkshopGate(options: WorkshopOptions): WorkshopGate {
  const { stdin, stdout } = options;
  const now = options.now ?? Date.now;
  const s: Style = createStyle(options.color);
  const width = Math.max(20, options.columns);
  const interrupt = options.interrupt ?? raiseSigint;
  // Steps in each runbook, for the `4/13` in a step's heading.
  const stepCounts = new Map<string, number>();
  /** Each runbook's steps, for the recording of a cell, which its last step holds. */
  const planSteps = new Map<string, readonly Step[]>();
  // Set by `q` or Ctrl-C: the whole run ends, so later runbooks ask nothing and show nothing.
  let ended = false;
  // Everything shown passes through here: nothing that could move the cursor (the runner hands the gate and its
  // reporter redacted steps and reports).
  const r = (text: string) => sanitize(text, options.color);
  const print = (text = '') => stdout.write(`${text}\n`);
  const wasRaw = Boolean(stdin.isRaw);
  const restore = () => {
    if (stdin.isTTY && stdin.setRawMode) stdin.setRawMode(wasRaw);
  };
  // If the process exits while a key is awaited, the shell must not be left in raw mode.
  process.once('exit', restore);

  /** Shows `prompt` on one line, waits for one of `allowed`, then erases the prompt (the only redraw). */
  const ask = (prompt: string, allowed: readonly Key[]): Promise<Key> =>
    new Promise((resolve) => {
      // One row, never wrapped: erasing the prompt clears exactly that row.
      stdout.write(truncate(prompt, width - 1));
      if (stdin.isTTY && stdin.setRawMode) stdin.setRawMode(true);
      stdin.resume();
      const done = (key: Key) => {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        restore();
        stdin.pause();
        stdout.write(stdout.isTTY ? '\r\x1b[2K' : '\n');
        resolve(key);
      };
      const onData = (data: Buffer | string) => {
        const key = keyOf(String(data));
        if (key && (key === 'interrupt' || allowed.includes(key))) done(key);
      };
      // Input closed: nobody is there to press a key, so stop (with cleanup).
      const onEnd = () => done('q');
      stdin.on('data', onData);
      stdin.on('end', onEnd);
    });

  /** The keys on one row; on a narrow terminal closer together, so that (listed first) Enter and q stay visible. */
  const promptLine = (items: [string, string][]) => {
    const keys = items.map(([key, what]) => `${s.bold(s.cyan(key))} ${what}`);
    const full = `${s.inverse(' ? ')} ${keys.join(s.dim('  ·  '))} `;
    return displayWidth(full) < width ? full : `${s.inverse('?')} ${keys.join('  ')} `;
  };

  const rule = (title: string) => {
    const line = '─'.repeat(Math.max(3, width - displayWidth(title) - 4));
    return s.bold(truncate(`── ${title} ${line}`, width));
  };

  /** A three-line block, wide and bright enough to read from the back of a room. */
  const banner = (passed: boolean, text: string) => {
    const label = passed ? '✔  PASSED' : '✘  FAILED';
    const inner = `   ${label}   ${text}`;
    const w = Math.min(width, Math.max(displayWidth(inner) + 3, 40));
    const pad = (t: string) => t + ' '.repeat(Math.max(0, w - displayWidth(t)));
    if (s.enabled) {
      const paint = passed ? s.passBanner : s.failBanner;
      return [paint(pad('')), paint(pad(inner)), paint(pad(''))].join('\n');
    }
    const edge = (passed ? '=' : '#').repeat(w);
    return [edge, pad(inner), edge].join('\n');
  };

  const outputBlock = (title: string, text: string | undefined, dim: boolean) => {
    const body = text === undefined || text === '' ? s.dim('(none)') : r(text);
    return `${s.bold(title)}\n${indent(dim ? s.dim(body) : body, '  ')}`;
  };

  const colorDiff = (diff: string) =>
    diff
      .split('\n')
      .map((l) => (l.startsWith('+') ? s.green(l) : l.startsWith('-') ? s.red(l) : l))
      .join('\n');

  let lastProgress = '';

  const reporter: Reporter = {
    onRunbookStart(plan: Plan, target: Target | undefined) {
      stepCounts.set(plan.file, plan.steps.length);
      planSteps.set(plan.file, plan.steps);
      if (ended) return;
      print();
      print(s.bold(plan.frontMatter.title ? `${plan.frontMatter.title} (${plan.file})` : plan.file));
      print(s.dim(`${plan.steps.length} steps${target ? ` · context ${r(target.context)} at ${r(target.server)}${target.sandbox ? ' (sandbox)' : ''}` : ''}`));
    },
    onStepStart(_file: string, step: Step, attempt: number, deadline: number) {
      lastProgress = '';
      const left = Math.max(0, limitMs(step, now(), deadline));
      print(s.dim(`${attempt > 1 ? `attempt ${attempt}` : 'running'} … (time limit ${formatDuration(left)})`));
    },
    onStepProgress(_file: string, _index: number, message: string) {
      if (message === lastProgress) return;
      lastProgress = message;
      print(s.yellow(`  … ${r(message)}`));
    },
    onStepEnd(_file: string, step: Step, report: StepReport) {
      // Steps outside --from/--only and those after a quit would only scroll the story away.
      if (ended || report.status !== 'skipped' || report.skipReason === 'not selected' || report.skipReason === 'quit') return;
      if (report.skipReason === 'skipped by presenter') print(s.dim(`↷ [${step.index}] ${step.kind} skipped`));
      else print(s.dim(`- [${step.index}] ${step.kind} skipped: ${r(report.skipReason ?? '')}`));
    },
    onCleanup(_file: string, cleanup: CleanupReport) {
      // The counts are in the runbook's summary line; here only what is still in the cluster.
      const heading = leftText(cleanup);
      if (heading === undefined) return;
      print();
      print(s.yellow(`${heading}${cleanup.left.length > 0 ? ':' : ''}`));
      for (const left of cleanup.left) print(`  ${r(left.object)}: ${r(left.reason)}`);
      if (cleanup.deleteCommand !== undefined) print(`  ${s.dim('delete with:')} ${r(cleanup.deleteCommand)}`);
    },
    onRunbookEnd(report: RunbookReport) {
      // A runbook after a quit ran nothing: its report would only repeat that.
      if (ended && report.steps.every((st) => st.status === 'skipped')) return;
      print();
      if (report.error !== undefined) print(s.red(`${report.file}: could not run: ${r(report.error)}`));
      else print(s.bold(`${report.file}: ${runbookSummary(report)}`));
    },
    onRunEnd(_report: RunReport) {
      close();
    },
  };

  /** `q` ends the whole run, not just this runbook; Ctrl-C also makes it an interrupt (exit 130). */
  async function stop(key: 'q' | 'interrupt'): Promise<'quit'> {
    ended = true;
    if (key === 'interrupt') {
      print(s.yellow('interrupted (cleaning up what this run created)'));
      await interrupt();
    } else {
      print(s.yellow('quitting (cleaning up what this run created)'));
    }
    return 'quit';
  }

  function close() {
    restore();
    process.off('exit', restore);
  }

  return {
    reporter,
    close,

    async before(file: string, step: Step) {
      if (ended) return 'quit';
      print();
      if (step.prose && step.prose.trim()) {
        print(renderMarkdown(r(step.prose), s, width));
        print();
      }
      const total = stepCounts.get(file);
      print(rule(`${total === undefined ? '' : `${step.index + 1}/${total} · `}[${step.index}] ${step.kind} · ${file}:${step.line}`));
      print(r(step.command).split('\n').map((line, i) => `${i === 0 ? s.dim('$ ') : '  '}${s.bold(line)}`).join('\n'));
      // A cell of several commands has one recording: shown before its first command, as the notebook shows it.
      const cell = step.cell && step.cell.last > step.cell.first ? step.cell : undefined;
      if (cell) print(s.dim(`cell ${cell.index}: command ${step.index - cell.first + 1} of ${cell.last - cell.first + 1}`));
      const recording = cell ? planSteps.get(file)?.[cell.last]?.expected : step.expected;
      if (recording && (!cell || step.index === cell.first)) print(outputBlock(cell ? "the cell's recorded output:" : 'recorded output:', recording.text, true));
      const key = await ask(promptLine([['Enter', 'run'], ['s', 'skip'], ['q', 'quit']]), ['enter', 's', 'q']);
      if (key === 'q' || key === 'interrupt') return stop(key);
      return key === 's' ? 'skip' : 'run';
    },

    async after(file: string, step: Step, report: StepReport) {
      // The last command of a cell compared as a whole shows what the whole cell printed, not its own output.
      const cell = step.cell && step.cell.last > step.cell.first ? step.cell : undefined;
      const cellRecording = cell && step.index === cell.last ? planSteps.get(file)?.[cell.last]?.expected?.text : undefined;
      const outputTitle = cellRecording !== undefined && report.expected === cellRecording ? "the cell's output:" : 'output:';
      print(outputBlock(outputTitle, report.actual, false));
      print();
      print(banner(report.status !== 'failed', `[${step.index}] ${step.kind} · ${timing(report)}`));
      if (report.note) print(s.dim(r(report.note)));
      if (report.status === 'failed') {
        print(s.cyan(location(file, report)));
        if (report.error) print(s.red(r(report.error)));
        if (report.diff) print(`${s.bold('diff (- recorded, + actual):')}\n${indent(colorDiff(r(report.diff)), '  ')}`);
        if (report.diagnostics?.length) print(`${s.bold('diagnostics:')}\n${indent(r(report.diagnostics.join('\n')), '  ')}`);
      }
      // `e` flips between the recorded and the actual output, printing each anew.
      let showing: 'actual' | 'expected' = 'actual';
      for (;;) {
        const key = await ask(
          promptLine([
            ['Enter', 'next'],
            ['q', 'quit'],
            ['r', 're-run'],
            ['e', showing === 'actual' ? 'show recorded' : 'show actual'],
          ]),
          ['enter', 'r', 'e', 'q'],
        );
        if (key === 'e') {
          showing = showing === 'actual' ? 'expected' : 'actual';
          print(showing === 'expected' ? outputBlock('recorded output:', report.expected, true) : outputBlock(outputTitle, report.actual, false));
          continue;
        }
        if (key === 'q' || key === 'interrupt') return stop(key);
        return key === 'r' ? 'rerun' : 'next';
      }
    },
  };
}
