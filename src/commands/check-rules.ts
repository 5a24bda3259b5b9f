/**
 * The static checks of `runbook check`: what can be known about a runbook without a cluster. Pure functions
 * of the plan, the source text and a file-system probe, so tests need no fixtures beyond a temporary folder.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { ManifestSource, Plan, Step } from '../core/model.js';
import { findFences } from '../parse/fences.js';
import { splitLines } from '../core/text.js';
import { readNotebook } from '../parse/notebook.js';
import { firstLine, KUSTOMIZATION_FILES, ManifestChecker } from './check-manifests.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  file: string;
  line: number;
  /** 1-based; 1 when only the line is known. */
  column: number;
  severity: Severity;
  message: string;
}

/** What a path is on disk, if anything. */
export type Probe = (absolute: string) => 'file' | 'dir' | undefined;

export const diskProbe: Probe = (p) => {
  try {
    const info = statSync(p);
    return info.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
};

/** Every check over one parsed runbook; `text` is its source (for YAML fences). */
export function lintRunbook(plan: Plan, text: string, probe: Probe = diskProbe): Diagnostic[] {
  // Loops rather than push(...list): a runbook of 50,000 steps has more diagnostics than a call takes arguments.
  const out: Diagnostic[] = [];
  const manifests = new ManifestChecker();
  const base = path.dirname(plan.file);
  // A `%%writefile` cell makes the file that later steps read (it is gone again after the run).
  const written = new Set<string>();
  const seen: Probe = (p) => (written.has(p) ? 'file' : probe(p));
  for (const step of plan.steps) {
    for (const d of lintStep(step, base, seen, manifests)) out.push(d);
    if (step.kind === 'writefile' && !/[$~`]/.test(step.args.path)) written.add(path.resolve(base, step.args.path));
  }
  for (const d of lintYamlFences(plan, text)) out.push(d);
  out.sort((a, b) => a.line - b.line);
  // Problems inside the manifests and kustomizations the steps read, in those files, after the runbook's own.
  for (const d of manifests.diagnostics) out.push(d);
  return out;
}

function lintStep(step: Step, base: string, probe: Probe, manifests: ManifestChecker): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (severity: Severity, message: string) => out.push({ file: step.file, line: step.line, column: 1, severity, message });
  if (step.options.skip) return out;
  const via = `read by the step at ${step.file}:${step.line}`;
  for (const ref of pathsOf(step)) {
    if (!checkPath(ref, base, probe, report)) continue;
    const shown = path.isAbsolute(ref.value) ? ref.value : path.join(base, ref.value);
    if (ref.want === 'kustomize') manifests.kustomization(shown, via);
    else if (ref.role === 'manifest') manifests.manifests(shown, ref.recursive ?? false, via);
  }
  for (const d of recordedYaml(step)) out.push(d);
  for (const warning of interactiveWarnings(step.command)) report('warning', warning);
  // A cell's one recording is on its last step; Python that prints nothing is as common as Python that does.
  const recordsNothing = (step.kind === 'capture' && !step.args.displayed) || step.kind === 'python' || (step.cell !== undefined && step.cell.last !== step.index);
  if (!step.expected && !recordsNothing && step.options.expect !== 'ignore') {
    report('warning', 'no recorded output: add what the command prints after the cell, or mark it <!-- runbook: expect=ignore -->');
  }
  if (step.kind === 'shell' && step.note) report('warning', `runs as a plain shell command: ${step.note}`);
  return out;
}

/** A path a step reads, and what it must be. */
interface PathRef {
  value: string;
  /** `kustomize`: a folder with a kustomization file; `dir`/`file`: that; `any`: either. */
  want: 'kustomize' | 'dir' | 'file' | 'any';
  role: string;
  /** Other places the path may be found (grpcurl resolves -proto through -import-path). */
  alternatives?: string[];
  /** `kubectl apply -f DIR -R`: manifests in sub-folders too. */
  recursive?: boolean;
}

function pathsOf(step: Step): PathRef[] {
  switch (step.kind) {
    case 'build':
      return [{ value: step.args.dir, want: 'kustomize', role: 'kustomize folder' }];
    case 'apply':
      return sourcePaths(step.args.source);
    case 'delete':
      return step.args.target.type === 'manifests' ? sourcePaths(step.args.target.source) : [];
    case 'wait':
      return step.args.source ? sourcePaths(step.args.source) : [];
    case 'grpcurl': {
      const { importPaths, protos } = step.args;
      return [
        ...importPaths.map((p): PathRef => ({ value: p, want: 'dir', role: 'grpcurl -import-path' })),
        ...protos.map((p): PathRef => ({ value: p, want: 'file', role: 'grpcurl -proto file', alternatives: importPaths.map((i) => path.join(i, p)) })),
      ];
    }
    case 'curl':
      return step.args.data.flatMap((d): PathRef[] => {
        if (d.flag === 'data-raw') return [];
        // --data-urlencode also takes name@file.
        const at = d.flag === 'data-urlencode' ? d.value.indexOf('@') : d.value.startsWith('@') ? 0 : -1;
        const file = at === -1 ? '' : d.value.slice(at + 1);
        return file && file !== '-' ? [{ value: file, want: 'file', role: `curl --${d.flag} @file` }] : [];
      });
    case 'capture':
    case 'shell':
    case 'python':
    case 'writefile':
    case 'env':
      return [];
    case 'seldon': {
      const { command } = step.args;
      const file = 'file' in command ? command.file : undefined;
      return file === undefined ? [] : [{ value: file, want: 'file', role: `seldon ${command.resource} ${command.verb} -f file` }];
    }
  }
}

function sourcePaths(source: ManifestSource): PathRef[] {
  switch (source.type) {
    case 'files':
      return source.paths.filter((p) => p !== '-' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(p)).map((p) => ({ value: p, want: 'any', role: 'manifest', recursive: source.recursive }));
    case 'kustomize':
    case 'build':
      return [{ value: source.dir, want: 'kustomize', role: 'kustomize folder' }];
    case 'stdin':
      return [];
  }
}

/** Reports what is wrong with a path; true when it is what the step needs (so its content can be checked). */
function checkPath(ref: PathRef, base: string, probe: Probe, report: (s: Severity, m: string) => void): boolean {
  // References and home folders are only known when the step runs.
  if (/[$~`]/.test(ref.value)) return false;
  const candidates = [ref.value, ...(ref.alternatives ?? [])].map((p) => path.resolve(base, p));
  const leaves = path.isAbsolute(ref.value) || path.relative(base, candidates[0]!).split(path.sep)[0] === '..';
  if (leaves) report('warning', `${ref.role} ${ref.value} is outside the runbook's folder, so the runbook is not self-contained`);
  const found = candidates.find((c) => probe(c) !== undefined);
  const fail = (message: string) => (report('error', message), false);
  if (!found) return fail(`${ref.role} ${ref.value} does not exist`);
  const kind = probe(found);
  if ((ref.want === 'dir' || ref.want === 'kustomize') && kind !== 'dir') return fail(`${ref.role} ${ref.value} is not a folder`);
  if (ref.want === 'file' && kind !== 'file') return fail(`${ref.role} ${ref.value} is not a file`);
  if (ref.want === 'kustomize' && !KUSTOMIZATION_FILES.some((k) => probe(path.join(found, k)) === 'file')) {
    return fail(`${ref.role} ${ref.value} has no kustomization.yaml`);
  }
  return found === candidates[0];
}

/**
 * A build's recorded output is YAML (the matcher compares it as objects), so one that does not parse can never
 * match. Lines that are only `...` (any lines) are patterns, not YAML's document end.
 */
function recordedYaml(step: Step): Diagnostic[] {
  if (step.kind !== 'build' || !step.expected || step.options.expect === 'ignore') return [];
  const { text, location } = step.expected;
  const source = text.split('\n').map((l) => (l.trim() === '...' ? '#' : l)).join('\n');
  const lines = new LineCounter();
  for (const doc of parseAllDocuments(source, { lineCounter: lines, prettyErrors: false, logLevel: 'error' })) {
    const bad = doc.errors[0];
    if (!bad) continue;
    const at = lines.linePos(bad.pos[0]);
    const where = location.format === 'markdown' ? { line: location.startLine + at.line - 1, column: at.col + location.indent.length } : { line: step.line, column: 1 };
    return [{ file: step.file, ...where, severity: 'error', message: `recorded build output is not valid YAML: ${firstLine(bad.message)}` }];
  }
  return [];
}

const CONTAINER_TOOLS = new Set(['kubectl', 'oc', 'docker', 'podman', 'nerdctl']);
const SCREEN_PROGRAMS = new Set(['vi', 'vim', 'nvim', 'nano', 'emacs', 'less', 'more', 'top', 'htop', 'k9s']);

/** Commands that wait for a terminal or never end on their own. */
export function interactiveWarnings(command: string): string[] {
  const out: string[] = [];
  // The first 64 KB say what a command runs; a 10 MB one is split into millions of words otherwise.
  for (const segment of command.slice(0, 64 * 1024).replace(/\\\n/g, ' ').split(/\|\|?|&&|;|\n/)) {
    const all = segment.trim().split(/\s+/).filter((w) => w !== '' && !/^[A-Za-z_]\w*=/.test(w) && w !== 'sudo');
    // Flags after `--` belong to the command run inside the container.
    const words = all.includes('--') ? all.slice(0, all.indexOf('--')) : all;
    const program = path.basename(words[0] ?? '');
    if (SCREEN_PROGRAMS.has(program)) out.push(`interactive command: ${program} needs a terminal`);
    if (!CONTAINER_TOOLS.has(program)) continue;
    const sub = words[1];
    if ((program === 'kubectl' || program === 'oc') && sub === 'edit') out.push(`interactive command: ${program} edit opens an editor; use kubectl apply or kubectl patch`);
    const shorts = words.filter((w) => /^-[A-Za-z]+$/.test(w)).join('');
    const stdin = shorts.includes('i') || words.includes('--stdin') || words.includes('--interactive');
    const tty = shorts.includes('t') || words.includes('--tty');
    if (stdin && tty) out.push(`interactive command: ${program} ${sub ?? ''} -it waits for a terminal; drop -t (and -i unless input is piped)`.replace('  ', ' '));
    if ((program === 'kubectl' || program === 'oc') && (shorts.includes('w') || words.includes('--watch') || words.some((w) => w.startsWith('--watch=true')))) {
      out.push(`${program} --watch never ends; use kubectl wait`);
    }
    if ((program === 'kubectl' || program === 'oc') && (sub === 'port-forward' || sub === 'proxy')) out.push(`${program} ${sub} runs until it is stopped`);
  }
  return out;
}

/**
 * How much YAML `check` parses: yaml reads a few hundred KB a second of dense YAML (and its duplicate-key check is
 * quadratic in a map's keys), so a runbook of thousands of blocks or megabytes of YAML would take minutes.
 */
const YAML_BUDGET = 256 * 1024;
const MAX_YAML_BLOCKS = 1000;

/**
 * ```yaml fences (in Markdown, or in a notebook's markdown cells) must parse, except those that hold a step's
 * recorded output (a GitBook export's `cat a.yaml; cat b.yaml` shows two documents without `---`): what a command
 * printed is compared, not applied.
 */
function lintYamlFences(plan: Plan, text: string): Diagnostic[] {
  const blocks: { lines: string[]; line: (k: number) => number }[] = [];
  // The last line of each fenced recording (1-based; the opening line when the fence is empty).
  const recorded: number[] = [];
  for (const step of plan.steps) {
    const at = step.expected?.location;
    if (at?.format === 'markdown' && at.style === 'fence') recorded.push(at.endLine);
  }
  const collect = (lines: string[], lineOf: (index: number) => number) => {
    for (const f of findFences(plan.file, lines)) {
      if (f.lang !== 'yaml' && f.lang !== 'yml') continue;
      if (plan.format === 'markdown' && recorded.some((end) => end >= f.open + 1 && end <= f.close + 1)) continue;
      blocks.push({ lines: lines.slice(f.open + 1, f.close), line: (k) => lineOf(f.open + 1 + k) });
    }
  };
  if (plan.format === 'markdown') {
    collect(splitLines(text), (i) => i + 1);
  } else {
    // The parse already reported bad tags.
    for (const cell of readNotebook(plan.file, text, () => {}).cells) {
      if (cell.type !== 'markdown') continue;
      try {
        collect(splitLines(cell.source), () => cell.position.line);
      } catch {
        // An unclosed fence in a markdown cell is only prose to a notebook.
      }
    }
  }
  const out: Diagnostic[] = [];
  let budget = YAML_BUDGET;
  for (const [n, block] of blocks.entries()) {
    const source = block.lines.join('\n');
    budget -= source.length;
    if (n >= MAX_YAML_BLOCKS || budget < 0) {
      const rest = blocks.length - n - 1;
      const message = `${rest === 0 ? 'this YAML block is' : `this and the next ${rest} YAML blocks are`} not checked: check reads at most ${MAX_YAML_BLOCKS} blocks and 256 KB of YAML`;
      out.push({ file: plan.file, line: block.line(0), column: 1, severity: 'warning', message });
      break;
    }
    for (const doc of parseAllDocuments(source)) {
      const bad = doc.errors[0];
      if (!bad) continue;
      const before = source.slice(0, bad.pos[0]).split('\n');
      // A notebook's markdown cell is one position: its lines are inside a JSON string.
      const column = plan.format === 'markdown' ? before.at(-1)!.length + 1 : 1;
      out.push({ file: plan.file, line: block.line(before.length - 1), column, severity: 'error', message: `YAML does not parse: ${firstLine(bad.message)}` });
      break;
    }
  }
  return out;
}

