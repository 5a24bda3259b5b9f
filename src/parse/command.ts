/**
 * The command classifier: which step kind a cell's shell command is, with its typed arguments.
 * Anything a typed step cannot run exactly as the real tool would becomes a `shell` step, with a note when the
 * command looked typed (so `runbook list` can say why). Classification never throws.
 */
import type { ArgsOf, KubeGetArgs, StepKind } from '../core/model.js';
import { Fallback, splitPipeline } from './command-words.js';
import { splitSubcommand } from './command-kube-common.js';
import { parseApply, parseBuild, parseDelete, parseGet, parseWait } from './command-kubectl.js';
import { parseCurl } from './command-curl.js';
import { parseGrpcurl } from './command-grpcurl.js';
import { classifySeldon } from './command-seldon.js';

type CommandKind = Exclude<StepKind, 'capture'>;

/** A classified command: a kind, its arguments, and why it fell back to `shell` if it did. */
export type Classified = { [K in CommandKind]: { kind: K; args: ArgsOf<K>; note?: string } }[CommandKind];

/** The typed tools, as named in notes. */
type Tool = 'kustomize build' | 'kubectl kustomize' | 'kubectl apply' | 'kubectl wait' | 'kubectl delete' | 'curl' | 'grpcurl';

/** Which typed tool a pipeline stage runs, and the arguments after the tool's name and subcommand. */
function toolOf(words: readonly string[]): { tool: Tool; rest: string[] } | undefined {
  const [head, ...tail] = words;
  if (head === 'curl' || head === 'grpcurl') return { tool: head, rest: tail };
  if (head === 'kustomize' && tail[0] === 'build') return { tool: 'kustomize build', rest: tail.slice(1) };
  if (head !== 'kubectl') return undefined;
  const { sub, rest } = splitSubcommand(tail);
  if (sub === 'apply' || sub === 'wait' || sub === 'delete' || sub === 'kustomize') return { tool: `kubectl ${sub}`, rest };
  return undefined;
}

function shell(script: string, note?: string): Classified {
  return note === undefined ? { kind: 'shell', args: { script } } : { kind: 'shell', args: { script }, note };
}

/** One command on its own. */
function single(tool: Tool, rest: readonly string[]): Classified {
  switch (tool) {
    case 'kustomize build':
      return { kind: 'build', args: parseBuild(rest, 'kustomize') };
    case 'kubectl kustomize':
      return { kind: 'build', args: parseBuild(rest, 'kubectl') };
    case 'kubectl apply':
      return { kind: 'apply', args: parseApply(rest) };
    case 'kubectl wait':
      return { kind: 'wait', args: parseWait(rest) };
    case 'kubectl delete':
      return { kind: 'delete', args: parseDelete(rest) };
    case 'curl':
      return { kind: 'curl', args: parseCurl(rest) };
    case 'grpcurl':
      return { kind: 'grpcurl', args: parseGrpcurl(rest) };
  }
}

/** `kustomize build DIR | kubectl apply -f -` and the delete twin; anything else piped is shell work. */
function piped(first: NonNullable<ReturnType<typeof toolOf>>, second: ReturnType<typeof toolOf>): Classified {
  const isBuild = first.tool === 'kustomize build' || first.tool === 'kubectl kustomize';
  if (!isBuild) throw new Fallback(`${first.tool} output is piped into another command`);
  if (second?.tool !== 'kubectl apply' && second?.tool !== 'kubectl delete') {
    throw new Fallback(`${first.tool} output is piped into a command other than kubectl apply or delete`);
  }
  const build = parseBuild(first.rest, first.tool === 'kustomize build' ? 'kustomize' : 'kubectl');
  const source = { type: 'build', dir: build.dir, tool: build.tool } as const;
  return second.tool === 'kubectl apply'
    ? { kind: 'apply', args: parseApply(second.rest, source) }
    : { kind: 'delete', args: parseDelete(second.rest, source) };
}

/** Classifies one stage list; `undefined` means plain shell work that never looked typed. */
function classifyStages(stages: string[][]): Classified | undefined {
  const tools = stages.map((words) => {
    // `VAR=value cmd …`: the assignments are shell work, but say so when the command itself is typed.
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
    const found = toolOf(words.slice(i));
    if (found && i > 0) throw new Fallback(`${found.tool} is run with environment assignments (${words[0]})`);
    return found;
  });
  const [first, second] = tools;
  if (stages.length === 1) return first ? single(first.tool, first.rest) : undefined;
  if (stages.length === 2 && first) return piped(first, second);
  if (stages.length === 2 && second) throw new Fallback(`${second.tool} reads what '${stages[0]![0]}' pipes into it`);
  const typed = tools.find((t) => t !== undefined);
  if (typed) throw new Fallback(`${typed.tool} is part of a ${stages.length}-stage pipeline`);
  return undefined;
}

/** A cell's command may still carry IPython's `!` shell escape. */
function stripBang(command: string): string {
  return command.replace(/^(\s*)!/, '$1');
}

/** The typed tool a command starts with, read from its whitespace-separated words, for notes on commands the strict splitter refuses. */
function leadingTool(script: string): Tool | undefined {
  // The first 4 KB name the tool; splitting a 10 MB command into every word took half a second.
  const words = script.trimStart().slice(0, 4096).trim().split(/\s+/);
  return toolOf(words)?.tool;
}

/**
 * True when no word of `script` can name a typed tool, so that it is shell work without splitting it (as `seldon
 * model load …` or a Python line is). Quotes, backslashes and continuations can glue a name together (`ku"bectl"`,
 * `ku\⏎bectl`), and ANSI-C quoting can spell it in escapes, so those are looked through or sent the long way.
 */
function obviouslyUntyped(script: string): boolean {
  return !script.includes("$'") && !/curl|kubectl|kustomize/.test(script.replace(/\\\r?\n|["'\\]/g, ''));
}

/** Classifies a cell's command (continuations allowed, a leading `!` ignored). Never throws. */
export function classifyCommand(command: string): Classified {
  const script = stripBang(command);
  const seldon = classifySeldon(script);
  if (seldon) return seldon;
  if (obviouslyUntyped(script)) return shell(script);
  let stages: string[][];
  try {
    stages = splitPipeline(script);
  } catch (err) {
    const tool = leadingTool(script);
    return shell(script, tool ? `runs in the shell: ${tool} ${(err as Error).message}` : undefined);
  }
  try {
    return classifyStages(stages) ?? shell(script);
  } catch (err) {
    const reason = err instanceof Fallback ? err.message : `could not be read (${String(err)})`;
    return shell(script, `runs in the shell: ${reason}`);
  }
}

/**
 * The typed form of `kubectl get TYPE [NAME] [-n NS] [-l SEL] -o jsonpath=…`, for capture steps;
 * undefined for any other command. Never throws.
 */
export function classifyKubeGet(command: string): KubeGetArgs | undefined {
  try {
    if (obviouslyUntyped(command)) return undefined;
    const [words, ...more] = splitPipeline(stripBang(command));
    if (!words || more.length > 0 || words[0] !== 'kubectl') return undefined;
    const { sub, rest } = splitSubcommand(words.slice(1));
    return sub === 'get' ? parseGet(rest) : undefined;
  } catch {
    return undefined;
  }
}
