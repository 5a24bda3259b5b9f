/**
 * Guided workshop mode (`--step`): before each step, the prose that leads to it, the command and the recorded
 * output; after it, the actual output and a large verdict. A presenter drives it with single keys.
 * Everything is printed once and never redrawn (no flicker on a projector), except the one-line key prompt.
 */
import type { Plan, Step } from '../core/model.js';
import type { CleanupReport, Reporter, RunbookReport, RunReport, StepGate, StepReport, Target } from '../core/events.js';
import { renderMarkdown } from '../ui/markdown.js';
import { createStyle, type Style } from '../ui/style.js';
import { displayWidth, formatDuration, indent, sanitize } from '../ui/text.js';
import { cleanupText, runbookSummary, timing } from './summary.js';

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
}

export type WorkshopGate = StepGate & {
  reporter: Reporter;
  /** Puts the terminal back as it was (the gate also does this after every key and when the process exits). */
  close(): void;
};

type Key = 'enter' | 's' | 'r' | 'e' | 'q';

/** Keys as they arrive in raw mode; Ctrl-C and Ctrl-D quit (with cleanup) since raw mode turns off SIGINT. */
function keyOf(data: string): Key | undefined {
  for (const ch of data) {
    if (ch === '\r' || ch === '\n') return 'enter';
    if (ch === '\x03' || ch === '\x04') return 'q';
    const lower = ch.toLowerCase();
    if (lower === 's' || lower === 'r' || lower === 'e' || lower === 'q') return lower;
  }
  return undefined;
}

export function createWorkshopGate(options: WorkshopOptions): WorkshopGate {
  const { stdin, stdout } = options;
  const now = options.now ?? Date.now;
  const s: Style = createStyle(options.color);
  const width = Math.max(40, options.columns);
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
      stdout.write(prompt);
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
        if (key && allowed.includes(key)) done(key);
      };
      // Input closed: nobody is there to press a key, so stop (with cleanup).
      const onEnd = () => done('q');
      stdin.on('data', onData);
      stdin.on('end', onEnd);
    });

  const promptLine = (items: [string, string][]) =>
    `${s.inverse(' ? ')} ${items.map(([key, what]) => `${s.bold(s.cyan(key))} ${what}`).join(s.dim('  ·  '))} `;

  const rule = (title: string) => {
    const line = '─'.repeat(Math.max(3, width - displayWidth(title) - 4));
    return s.bold(`── ${title} ${line}`);
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
      print();
      print(s.bold(plan.frontMatter.title ? `${plan.frontMatter.title} (${plan.file})` : plan.file));
      print(s.dim(`${plan.steps.length} steps${target ? ` · context ${r(target.context)} at ${r(target.server)}${target.sandbox ? ' (sandbox)' : ''}` : ''}`));
    },
    onStepStart(_file: string, _step: Step, attempt: number, deadline: number) {
      lastProgress = '';
      const left = Math.max(0, deadline - now());
      print(s.dim(`${attempt > 1 ? `attempt ${attempt}` : 'running'} … (time limit ${formatDuration(left)})`));
    },
    onStepProgress(_file: string, _index: number, message: string) {
      if (message === lastProgress) return;
      lastProgress = message;
      print(s.yellow(`  … ${r(message)}`));
    },
    onStepEnd(_file: string, step: Step, report: StepReport) {
      // Steps outside --from/--only and those after a quit would only scroll the story away.
      if (report.status !== 'skipped' || report.skipReason === 'not selected' || report.skipReason === 'quit') return;
      if (report.skipReason === 'skipped by presenter') print(s.dim(`↷ [${step.index}] ${step.kind} skipped`));
      else print(s.dim(`- [${step.index}] ${step.kind} skipped: ${r(report.skipReason ?? '')}`));
    },
    onCleanup(_file: string, cleanup: CleanupReport) {
      print();
      print(s.bold(cleanupText(cleanup)));
      for (const left of cleanup.left) print(`  ${r(left.object)}: ${r(left.reason)}`);
    },
    onRunbookEnd(report: RunbookReport) {
      print();
      if (report.error !== undefined) print(s.red(`${report.file}: could not run: ${r(report.error)}`));
      else print(s.bold(`${report.file}: ${runbookSummary(report)}`));
    },
    onRunEnd(_report: RunReport) {
      close();
    },
  };

  function close() {
    restore();
    process.off('exit', restore);
  }

  return {
    reporter,
    close,

    async before(file: string, step: Step) {
      print();
      if (step.prose && step.prose.trim()) {
        print(renderMarkdown(r(step.prose), s, width));
        print();
      }
      print(rule(`[${step.index}] ${step.kind} · ${file}:${step.line}`));
      print(r(step.command).split('\n').map((line, i) => `${i === 0 ? s.dim('$ ') : '  '}${s.bold(line)}`).join('\n'));
      if (step.expected) print(outputBlock('recorded output:', step.expected.text, true));
      const key = await ask(promptLine([['Enter', 'run'], ['s', 'skip'], ['q', 'quit']]), ['enter', 's', 'q']);
      if (key === 'q') {
        print(s.yellow('quitting (cleaning up what this run created)'));
        return 'quit';
      }
      return key === 's' ? 'skip' : 'run';
    },

    async after(_file: string, step: Step, report: StepReport) {
      print(outputBlock('output:', report.actual, false));
      print();
      print(banner(report.status === 'passed', `[${step.index}] ${step.kind} · ${timing(report)}`));
      if (report.status === 'failed') {
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
            ['r', 're-run'],
            ['e', showing === 'actual' ? 'show recorded' : 'show actual'],
            ['q', 'quit'],
          ]),
          ['enter', 'r', 'e', 'q'],
        );
        if (key === 'e') {
          showing = showing === 'actual' ? 'expected' : 'actual';
          print(showing === 'expected' ? outputBlock('recorded output:', report.expected, true) : outputBlock('output:', report.actual, false));
          continue;
        }
        if (key === 'q') print(s.yellow('quitting (cleaning up what this run created)'));
        return key === 'r' ? 'rerun' : key === 'q' ? 'quit' : 'next';
      }
    },
  };
}
