/**
 * The ink reporter's state: a small store that the Reporter hooks update and the component only reads
 * (through useSyncExternalStore). Plain data and no ink import, so it is tested without rendering.
 */
import type { Plan, Step, StepKind } from '../../core/model.js';
import type { CleanupReport, Reporter, RunbookReport, RunReport, StepReport, Target } from '../../core/events.js';
import { sanitize } from '../../ui/text.js';
import { limitMs } from '../summary.js';
import { mapCleanup, mapRunbook, mapStepReport as mapStep, mapTarget } from '../../core/text-map.js';

/** Lines printed once, above the live area, in the order they happened. */
export type StaticItem =
  | { id: string; type: 'header'; file: string; title?: string; steps: number; target?: Target }
  | { id: string; type: 'step'; file: string; multi: boolean; report: StepReport; command: string }
  | { id: string; type: 'cleanup'; file: string; cleanup: CleanupReport }
  | { id: string; type: 'runbook-end'; report: RunbookReport }
  | { id: string; type: 'run-end'; report: RunReport };

export interface RunningStep {
  file: string;
  index: number;
  kind: StepKind;
  line: number;
  command: string;
  attempt: number;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms. */
  deadline: number;
  /** The time limit shown for this attempt (limitMs in summary.ts). */
  limitMs: number;
  /** The last few lines the step printed, newest last. */
  tail: string[];
  /** What a long step is waiting for, from onStepProgress. */
  progress?: string;
}

export interface InkState {
  items: StaticItem[];
  running: RunningStep[];
  /** More than one runbook in this run: step lines then name their file. */
  multi: boolean;
  done: boolean;
}

export interface InkStore {
  getState(): InkState;
  subscribe(listener: () => void): () => void;
  reporter: Reporter;
}

export interface InkStoreOptions {
  /** Keep colour codes found in command output. */
  color?: boolean;
  /** Epoch-ms clock. */
  now?: () => number;
  /** Lines of live output shown under the running step. */
  tailLines?: number;
}

/** A line longer than this is cut in the tail; the full output is in the report. */
const MAX_PARTIAL = 4096;

/** A carriage return rewrites its line (progress bars): only what follows the last one is on screen. */
const onScreen = (line: string) => {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  return text.slice(text.lastIndexOf('\r') + 1);
};
const nonBlank = (line: string) => line.trim().length > 0;

export function createInkStore(options: InkStoreOptions): InkStore {
  // Everything shown passes through here: nothing that could move the cursor (secrets are already hidden).
  const clean = (text: string) => sanitize(text, options.color ?? false);
  const now = options.now ?? Date.now;
  const tailLines = options.tailLines ?? 5;
  let state: InkState = { items: [], running: [], multi: false, done: false };
  const listeners = new Set<() => void>();
  // Each running step's last complete lines and its unfinished line, kept outside the state: only the tail is shown.
  const output = new Map<string, { lines: string[]; partial: string }>();
  let nextId = 0;

  const set = (next: Partial<InkState>) => {
    state = { ...state, ...next };
    for (const listener of listeners) listener();
  };
  const key = (file: string, index: number) => `${file}\0${index}`;
  const push = (item: StaticItem) => set({ items: [...state.items, item] });
  const id = () => String(nextId++);
  const updateRunning = (file: string, index: number, change: (r: RunningStep) => RunningStep) =>
    set({ running: state.running.map((r) => (r.file === file && r.index === index ? change(r) : r)) });

  const reporter: Reporter = {
    onRunStart(runbooks) {
      set({ multi: runbooks.length > 1 });
    },
    onRunbookStart(plan: Plan, target: Target | undefined) {
      push({
        id: id(),
        type: 'header',
        file: plan.file,
        title: plan.frontMatter.title,
        steps: plan.steps.length,
        target: target && mapTarget(target, clean),
      });
    },
    onStepStart(file: string, step: Step, attempt: number, deadline: number) {
      output.delete(key(file, step.index));
      const entry: RunningStep = {
        file,
        index: step.index,
        kind: step.kind,
        line: step.line,
        command: clean(step.command),
        attempt,
        startedAt: now(),
        deadline,
        limitMs: limitMs(step, now(), deadline),
        tail: [],
      };
      const others = state.running.filter((r) => !(r.file === file && r.index === step.index));
      set({ running: [...others, entry] });
    },
    onStepOutput(file: string, index: number, _stream, chunk: string) {
      const k = key(file, index);
      const buffer = output.get(k) ?? { lines: [], partial: '' };
      const lines = (buffer.partial + chunk).split('\n');
      const rest = lines.pop()!;
      buffer.partial = rest.length > MAX_PARTIAL ? rest.slice(-MAX_PARTIAL) : rest;
      buffer.lines = [...buffer.lines, ...lines.map(onScreen).filter(nonBlank)].slice(-tailLines);
      output.set(k, buffer);
      const last = onScreen(buffer.partial);
      const tail = (nonBlank(last) ? [...buffer.lines, last] : buffer.lines).slice(-tailLines).map(clean);
      updateRunning(file, index, (r) => ({ ...r, tail }));
    },
    onStepProgress(file: string, index: number, message: string) {
      updateRunning(file, index, (r) => ({ ...r, progress: clean(message) }));
    },
    onStepEnd(file: string, step: Step, report: StepReport) {
      output.delete(key(file, step.index));
      set({
        running: state.running.filter((r) => !(r.file === file && r.index === step.index)),
        items: [
          ...state.items,
          { id: id(), type: 'step', file, multi: state.multi, report: mapStep(report, clean), command: clean(step.command) },
        ],
      });
    },
    onCleanup(file: string, cleanup: CleanupReport) {
      // Shown whenever anything was left, and with --no-cleanup always: what is still in the cluster is news.
      if (cleanup.left.length === 0 && !cleanup.disabled) return;
      const mapped = mapCleanup(cleanup, clean);
      if (cleanup.deleteCommand !== undefined) mapped.deleteCommand = clean(cleanup.deleteCommand);
      push({ id: id(), type: 'cleanup', file, cleanup: mapped });
    },
    onRunbookEnd(report: RunbookReport) {
      push({ id: id(), type: 'runbook-end', report: mapRunbook(report, clean) });
    },
    onRunEnd(report: RunReport) {
      set({
        running: [],
        done: true,
        items: report.runbooks.length === 1 && !report.interrupted ? state.items : [...state.items, { id: id(), type: 'run-end', report }],
      });
    },
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reporter,
  };
}
