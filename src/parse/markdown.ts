/**
 * Markdown runbooks: nbconvert exports (```python cells, 4-space-indented outputs) and console-style fences,
 * possibly mixed in one file. One pass over the lines; every step keeps the exact line range of its recording.
 */
import type { Expected, FrontMatter, Plan, Step, StepOptions } from '../core/model.js';
import { excerpt, InputError } from '../core/errors.js';
import { isDirective, misplacedDirective, parseDirective, throwProblem, type Problems } from './directives.js';
import { markCell } from './cells.js';
import { toStep, type Draft } from './draft.js';
import { parseFrontMatter } from './front-matter.js';
import { fenceKind, findFences, isExportedOutput, type Fence } from './fences.js';
import { splitLines } from '../core/text.js';
import { atxHeading, isBlockSeparator, isSetextUnderline, normaliseProse } from './prose.js';
import { pythonCell, type CellSource } from './python-cell.js';
import { isTranscript, plainCommands, transcript, type ShellCommand } from './shell-fence.js';

const INDENTED = /^( {4}|\t)/;
const BLANK = /^\s*$/;
const MAGIC_FENCE = /^\s*%%\w/;
const LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])([ \t]|$)/;

/** The cell that may still receive a recorded output block (only blank lines since it ended). */
interface OpenCell {
  /** The step that gets the output; undefined for a cell without steps (its output is dropped). */
  step?: Step;
  /** A ```text fence after it is its output too (console style); ```output always is. */
  textFence: boolean;
  /**
   * A ```json, ```yaml, ```outputs or bare fence after it is its output too: how a GitBook export records a shell
   * cell of plain commands (`cat a.yaml; cat b.yaml` then the two files, unseparated, in a ```yaml fence).
   */
  exported: boolean;
}

export function parseMarkdown(file: string, text: string, problems: Problems = throwProblem): Plan {
  const lines = splitLines(text);
  const { frontMatter, body } = frontMatterOf(file, lines);
  const fences = new Map<number, Fence>(findFences(file, lines, body).map((f) => [f.open, f]));
  // Python names bound so far, across cells, as IPython's namespace would hold them.
  const defined = new Set<string>();
  // In an nbconvert export every indented block is a cell's output, so a stray one is a mistake; elsewhere it is
  // an ordinary Markdown code block.
  const nbconvert = [...fences.values()].some((f) => fenceKind(f.lang) === 'python');
  const steps: Step[] = [];
  const cells = { next: 0 };

  let heading: string | undefined;
  let prose: string[] = [];
  let directive: { options: StepOptions; line: number } | undefined;
  let open: OpenCell | undefined;
  let previousProse: string | undefined;
  let previousBlank = true;
  let inList = false;

  const addSteps = (drafts: readonly Draft[], expected: (Expected | undefined)[] = []) => {
    const options = directive?.options ?? {};
    directive = undefined;
    const created = drafts.map((draft, n) =>
      toStep(draft, {
        index: steps.length + n,
        file,
        options,
        heading,
        ...(n === 0 && { prose: normaliseProse(prose) }),
        expected: expected[n],
      }),
    );
    for (const step of created) steps.push(step);
    if (drafts.length > 0) prose = [];
    return created;
  };

  for (let i = body; i < lines.length; i++) {
    const line = lines[i]!;
    if (BLANK.test(line)) {
      // normaliseProse collapses runs of blank lines anyway; keeping one keeps 10 million of them cheap.
      if (prose.length === 0 || !BLANK.test(prose[prose.length - 1]!)) prose.push(line);
      previousProse = undefined;
      previousBlank = true;
      continue;
    }

    if (open && INDENTED.test(line)) {
      let last = i;
      let j = i;
      for (; j < lines.length; j++) {
        if (BLANK.test(lines[j]!)) continue;
        if (!INDENTED.test(lines[j]!)) break;
        last = j;
      }
      const indent = INDENTED.exec(line)![1]!;
      if (open.step) {
        const content = lines.slice(i, last + 1).map((l) => (BLANK.test(l) ? '' : l.slice(indent.length)));
        open.step.expected = {
          text: content.join('\n'),
          location: { format: 'markdown', startLine: i + 1, endLine: last + 1, style: 'indented', indent },
        };
      }
      open = undefined;
      i = last;
      previousProse = undefined;
      previousBlank = false;
      continue;
    }

    const fence = fences.get(i);
    if (fence) {
      const kind = fenceKind(fence.lang);
      const wasOpen = open;
      open = undefined;
      previousProse = undefined;
      previousBlank = false;
      inList = false;
      // nbconvert names a `%%bash` cell's fence after the magic (```bash): it is still a notebook cell.
      if (kind === 'python' || (kind === 'shell' && MAGIC_FENCE.test(lines.slice(fence.open + 1, fence.close).find((l) => l.trim() !== '') ?? ''))) {
        const created = addSteps(pythonCell(cellSource(file, lines, fence), defined));
        markCell(created, cells);
        open = { step: created.at(-1), textFence: false, exported: false };
      } else if (kind === 'shell' && isStepFence(lines, fence, fences, frontMatter.runbook === true || directive !== undefined)) {
        const src = cellSource(file, lines, fence);
        const prompts = isTranscript(src.lines);
        const commands = prompts ? transcript(src) : plainCommands(src);
        const created = addSteps(
          commands.map((c) => c.draft),
          commands.map((c) => inlineOutput(c, src, fence)),
        );
        // A transcript records each prompt's output after it: each prompt is a cell. Plain commands share the
        // one recording that follows the fence.
        if (prompts) for (const step of created) markCell([step], cells);
        else markCell(created, cells);
        const last = created.at(-1);
        // An empty cell's output is dropped, as a notebook's parse drops it.
        // A transcript's output is inside its fence; only ```output or ```text may add the last prompt's.
        if (!last || !last.expected) open = { step: last, textFence: true, exported: !prompts };
      } else if (wasOpen && (fence.lang === 'output' || (kind === 'output' && wasOpen.textFence) || (wasOpen.exported && isExportedOutput(fence.lang)))) {
        if (wasOpen.step) wasOpen.step.expected = fencedOutput(lines, fence);
      } else if (fence.lang === 'output') {
        throw new InputError('```output block with no command before it; put it right after the ```sh cell whose output it is', {
          file,
          line: i + 1,
          column: fence.indent.length + 1,
        });
      } else {
        if (directive) problems(misplacedDirective(file, directive.line, `a \`\`\`${excerpt(fence.lang) || ' block without a language'}`));
        directive = undefined;
        for (let k = fence.open; k <= fence.close; k++) prose.push(lines[k]!);
      }
      i = fence.close;
      continue;
    }

    if (isBlockSeparator(line)) {
      open = undefined;
      previousProse = undefined;
      previousBlank = false;
      continue;
    }

    if (isDirective(line)) {
      const options = parseDirective(file, line, i + 1, problems);
      directive = { options: { ...directive?.options, ...options }, line: directive?.line ?? i + 1 };
      open = undefined;
      previousProse = undefined;
      continue;
    }

    if (directive) problems(misplacedDirective(file, directive.line, 'text'));
    directive = undefined;
    if (nbconvert && INDENTED.test(line) && previousBlank && !inList) {
      throw new InputError(
        'indented block with no code cell before it: a recorded output must directly follow its ```python cell; indent prose less than 4 spaces or put code in a fence',
        { file, line: i + 1, column: 1 },
      );
    }
    open = undefined;
    const atx = atxHeading(line);
    if (atx !== undefined) {
      heading = atx;
      inList = false;
    } else if (isSetextUnderline(line, previousProse)) {
      heading = previousProse!.trim();
    } else if (LIST_ITEM.test(line)) {
      inList = true;
    } else if (previousBlank && !INDENTED.test(line)) {
      inList = false;
    }
    prose.push(line);
    previousProse = atx === undefined ? line : undefined;
    previousBlank = false;
  }
  if (directive) problems(misplacedDirective(file, directive.line, 'the end of the file'));
  // `runbook: false`: a page that shows transcripts without being one.
  return { file, format: 'markdown', frontMatter, steps: frontMatter.runbook === false ? [] : steps };
}

/**
 * A console fence is a step when it shows a `$ ` prompt, when its recorded output follows it (a ```output or
 * ```text fence, a GitBook export's ```json, ```yaml, ```outputs or bare fence, or an indented block, after blank
 * lines only), or when the author opted in (a directive before it, or `runbook: true` in the front matter).
 * Otherwise it is an instruction for readers (`npm ci`, a `touch` in a tutorial) and stays prose: a docs folder
 * must not run every snippet it shows. A ```yaml fence after prose is likewise a document shown, never output.
 */
function isStepFence(lines: readonly string[], fence: Fence, fences: ReadonlyMap<number, Fence>, optedIn: boolean): boolean {
  if (optedIn) return true;
  const content = lines.slice(fence.open + 1, fence.close);
  if (isTranscript(content.map((l) => l.slice(Math.min(fence.indent.length, l.length - l.trimStart().length))))) return true;
  let next = fence.close + 1;
  while (next < lines.length && BLANK.test(lines[next]!)) next++;
  if (next >= lines.length) return false;
  if (INDENTED.test(lines[next]!)) return true;
  const after = fences.get(next);
  return after !== undefined && isExportedOutput(after.lang);
}

/** YAML front matter between a first line `---` and the next `---` (or `...`). */
function frontMatterOf(file: string, lines: readonly string[]): { frontMatter: FrontMatter; body: number } {
  if (lines[0]?.trimEnd() !== '---') return { frontMatter: {}, body: 0 };
  const close = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'));
  if (close === -1) throw new InputError("front matter is not closed; expected a line '---' after the settings", { file, line: 1, column: 1 });
  return { frontMatter: parseFrontMatter(file, lines.slice(1, close).join('\n'), 2), body: close + 1 };
}

/** The content lines of a fence, de-indented as CommonMark does for an indented opening fence. */
function cellSource(file: string, lines: readonly string[], fence: Fence): CellSource {
  const removed: number[] = [];
  const content = lines.slice(fence.open + 1, fence.close).map((l) => {
    const n = Math.min(fence.indent.length, l.length - l.trimStart().length);
    removed.push(n);
    return l.slice(n);
  });
  return {
    lines: content,
    lineOf: (k) => fence.open + 2 + k,
    at: (k, column) => ({ file, line: fence.open + 2 + k, column: column + (removed[k] ?? 0) }),
  };
}

/** Output lines inside a transcript fence, after their `$ ` command. */
function inlineOutput(command: ShellCommand, src: CellSource, fence: Fence): Expected | undefined {
  if (!command.output) return undefined;
  const { first, last } = command.output;
  return {
    text: src.lines.slice(first, last + 1).join('\n'),
    location: { format: 'markdown', startLine: src.lineOf(first), endLine: src.lineOf(last), style: 'inline', indent: fence.indent },
  };
}

/** A ```output fence: its content lines without blank lines at either end (an empty range ends before it starts). */
function fencedOutput(lines: readonly string[], fence: Fence): Expected {
  let first = fence.open + 1;
  let last = fence.close - 1;
  while (first <= last && lines[first]!.trim() === '') first++;
  while (last >= first && lines[last]!.trim() === '') last--;
  const n = fence.indent.length;
  const content = lines.slice(first, last + 1).map((l) => l.slice(Math.min(n, l.length - l.trimStart().length)));
  return {
    text: content.join('\n'),
    location: { format: 'markdown', startLine: first + 1, endLine: last + 1, style: 'fence', indent: fence.indent },
  };
}
