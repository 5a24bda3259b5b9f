/**
 * The runbook model: what the parser produces and everything else consumes.
 * Plain, serialisable data (no classes, no functions), so `runbook list --json` is a JSON.stringify away.
 */

/** Every step kind. Adding one here must fail to compile until every table over `StepKind` handles it. */
export type StepKind = Step['kind'];

/** A `${VAR}` or `$VAR` reference is kept verbatim in every string argument; the runner substitutes at run time. */
export type Text = string;

/** Where a step's recorded output sits in its source, so errors point at lines and `--update` rewrites exactly it. */
export type ExpectedLocation =
  /** Markdown: 1-based inclusive line range of the output's content lines (without fences), and how it is laid out. */
  | { format: 'markdown'; startLine: number; endLine: number; style: 'indented' | 'fence' | 'inline'; indent: string }
  /** .ipynb: the code cell (0-based index in `cells`) whose outputs hold the recording. */
  | { format: 'ipynb'; cell: number };

export interface Expected {
  /** The recorded output as the user saw it: de-indented, lines joined with '\n', no trailing newline. */
  text: string;
  location: ExpectedLocation;
}

/** Per-step options from `<!-- runbook: … -->` directives (Markdown) or `runbook-…` cell tags (.ipynb). */
export interface StepOptions {
  skip?: boolean;
  /** Per-step timeout in milliseconds. */
  timeoutMs?: number;
  /** How strictly to compare: `default` = the kind's own matcher. */
  expect?: 'default' | 'exact' | 'contains' | 'ignore';
  /** Retry budget for read-only steps, in milliseconds. */
  retryBudgetMs?: number;
  /** Marks a shell step as read-only so it may be retried until its output matches. */
  readOnly?: boolean;
  /** Apply/delete outcome words (`created` vs `unchanged`) must match exactly. */
  strictOutcome?: boolean;
}

/** Where objects come from for apply and delete. */
export type ManifestSource =
  | { type: 'files'; paths: Text[]; recursive: boolean }
  | { type: 'kustomize'; dir: Text }
  /** `kustomize build DIR | kubectl apply -f -`: the manifests of a build. */
  | { type: 'build'; dir: Text; tool: BuildTool }
  /** `-f -` fed by something we cannot type; only produced when a `stdin` text is known (heredoc). */
  | { type: 'stdin'; text: string };

export type BuildTool = 'kustomize' | 'kubectl';

/** Options every kubectl-like step shares. */
export interface KubeFlags {
  namespace?: Text;
  allNamespaces?: boolean;
  context?: Text;
  kubeconfig?: Text;
}

export interface BuildArgs {
  dir: Text;
  tool: BuildTool;
}

export interface ApplyArgs extends KubeFlags {
  source: ManifestSource;
  serverSide: boolean;
  forceConflicts?: boolean;
  fieldManager?: Text;
  dryRun?: 'none' | 'client' | 'server';
}

export type WaitFor =
  | { type: 'condition'; condition: string; value: string }
  | { type: 'delete' }
  /** `--for=jsonpath='{.status.phase}'=Running`; value absent means "the path exists". */
  | { type: 'jsonpath'; path: string; value?: string };

export interface WaitArgs extends KubeFlags {
  for: WaitFor;
  /** From `--timeout`; kubectl's default is 30 s. */
  timeoutMs: number;
  /** Resource type as typed (`model`, `models.mlops.seldon.io`, `deploy`). */
  resource: Text;
  names: Text[];
  all: boolean;
  selector?: Text;
  /** `-f FILE` form. */
  source?: ManifestSource;
}

export interface DeleteArgs extends KubeFlags {
  target: { type: 'manifests'; source: ManifestSource } | { type: 'names'; resource: Text; names: Text[]; all: boolean; selector?: Text };
  ignoreNotFound: boolean;
  wait: boolean;
}

export interface CurlData {
  /** `-d`/`--data` strip newlines from @files; `--data-raw` takes @ literally; `--data-binary` keeps bytes. */
  flag: 'data' | 'data-raw' | 'data-binary' | 'data-urlencode';
  value: Text;
}

export interface CurlArgs {
  url: Text;
  method?: Text;
  headers: Text[];
  data: CurlData[];
  verbose: boolean;
  silent: boolean;
  showError: boolean;
  include: boolean;
  head: boolean;
  output?: Text;
  writeOut?: Text;
  location: boolean;
  insecure: boolean;
  fail: boolean;
  user?: Text;
  connectTo: Text[];
  resolve: Text[];
  maxTimeSec?: number;
  connectTimeoutSec?: number;
  http2PriorKnowledge: boolean;
}

export interface GrpcurlArgs {
  data?: Text;
  plaintext: boolean;
  importPaths: Text[];
  protos: Text[];
  headers: Text[];
  maxTimeSec?: number;
  connectTimeoutSec?: number;
  emitDefaults: boolean;
  format: 'json' | 'text';
  address: Text;
  /** `package.Service/Method` (or `package.Service.Method`), or a `list`/`describe` verb argument. */
  method: Text;
  verb: 'call' | 'list' | 'describe';
}

/** `kubectl get TYPE [NAME] -o jsonpath=…`, the typed form of a captured command. */
export interface KubeGetArgs extends KubeFlags {
  resource: Text;
  name?: Text;
  jsonpath: Text;
  selector?: Text;
}

export interface CaptureArgs {
  /** The Python variable (and, when exported, the environment variable) that receives the value. */
  variable: string;
  /** The captured shell command, verbatim. */
  command: Text;
  /** Typed form when the command is `kubectl get … -o jsonpath=…`; otherwise it runs through the shell. */
  get?: KubeGetArgs;
  /** `VAR=VAR[0]`: the value is the first line rather than the list of lines. */
  firstLine: boolean;
  /** `os.environ['VAR'] = VAR`: later shell commands see it. */
  exported: boolean;
  /** A trailing bare `VAR` displays the value; its recorded form is the step's expected output. */
  displayed: boolean;
}

export interface ShellArgs {
  script: Text;
}

/** Python run in the runbook's kernel: one persistent python3 process per runbook, started at its first such step. */
export interface PythonArgs {
  code: string;
}

/** `%%writefile [-a] PATH`: the cell's body written to PATH (relative to the runbook); removed after the run. */
export interface WriteFileArgs {
  path: Text;
  content: string;
  append: boolean;
}

/** `%env NAME=VALUE`: sets a variable for later steps (and for the Python kernel's `os.environ`). */
export interface EnvArgs {
  name: string;
  value: Text;
}

/** What a `seldon` command acts on. */
export type SeldonResource = 'model' | 'pipeline' | 'experiment' | 'server';

/** One `seldon RESOURCE VERB …` command, typed; strings are Text (substituted at run time). */
export type SeldonCommand =
  /** `model|pipeline load -f FILE`, `experiment start -f FILE`. */
  | { verb: 'load'; resource: 'model' | 'pipeline' | 'experiment'; file: Text }
  /** `model|pipeline unload NAME`, `experiment stop NAME` (or `-f FILE`: the name from the file). */
  | { verb: 'unload'; resource: 'model' | 'pipeline' | 'experiment'; name?: Text; file?: Text }
  /** `status NAME [-w STATE]` (experiments: `-w` is a flag, kept as `true`). */
  | { verb: 'status'; resource: SeldonResource; name: Text; wait?: Text; timeoutSec?: number }
  | { verb: 'list'; resource: SeldonResource }
  | {
      verb: 'infer';
      resource: 'model' | 'pipeline';
      name: Text;
      /** Inline payload (the second positional), else `-f FILE`. */
      data?: Text;
      file?: Text;
      iterations: number;
      mode: 'rest' | 'grpc';
      sticky: boolean;
      showHeaders: boolean;
      /** `--header k=v`, in order. */
      headers: Text[];
    }
  | {
      verb: 'inspect';
      resource: 'pipeline';
      /** `pipeline[.step][.(inputs|outputs)][.tensor]`. */
      expression: Text;
      offset: number;
      requestId?: Text;
      format: 'json' | 'raw';
      verbose: boolean;
      truncate: boolean;
      namespace?: Text;
    }
  | { verb: 'metadata'; resource: 'model'; name: Text }
  /** `--help`, `-h`, `help TOPIC`, or a command cobra answers with help: the text the CLI prints, rendered by the parser. */
  | { verb: 'help'; resource: SeldonResource | 'seldon'; text: Text };

/** A trailing `| jq -M FILTER` the step applies itself: `.` pretty-prints, a path picks a value. */
export type SeldonJq = { type: 'pretty' } | { type: 'path'; path: (string | number)[] };

/** `seldon …`: Seldon Core 2's CLI, run natively against the scheduler and the inference endpoints. */
export interface SeldonArgs {
  command: SeldonCommand;
  /** `--scheduler-host`, `--inference-host`, `--kafka-broker`, `--authority`: beat the environment and the cluster. */
  hosts: { scheduler?: Text; inference?: Text; kafka?: Text; authority?: Text };
  verbose: boolean;
  jq?: SeldonJq;
}

/**
 * The notebook cell (or Markdown cell: a ```python fence, a ```sh fence with its ```output, one `$ ` prompt of a
 * transcript) a step came from. The cell is the unit of comparison: a cell with several commands runs each as its
 * own step, and its one recording (held by its last step's `expected`) is compared with what they printed together.
 */
export interface CellRef {
  /** 0-based position among the plan's cells (cells that hold no step are not counted). */
  index: number;
  /** Plan indices of the cell's first and last steps. */
  first: number;
  last: number;
}

interface StepBase {
  /** 0-based position in the plan. */
  index: number;
  /** The cell the step belongs to; set by the parsers on every step (plans built by hand may leave it out). */
  cell?: CellRef;
  /** Path of the runbook as given on the command line. */
  file: string;
  /** 1-based line where the step's code starts (for .ipynb: the cell's line in the JSON). */
  line: number;
  /** The command as written (continuations joined with their backslashes and newlines kept). */
  command: string;
  /** Nearest preceding heading text, for reporters and `--from`. */
  heading?: string;
  /** Markdown prose between the previous step and this one (for `--step`). */
  prose?: string;
  options: StepOptions;
  expected?: Expected;
  /** Why a command that looked typed fell back to `shell`, or other parser remarks. */
  note?: string;
}

export type BuildStep = StepBase & { kind: 'build'; args: BuildArgs };
export type ApplyStep = StepBase & { kind: 'apply'; args: ApplyArgs };
export type WaitStep = StepBase & { kind: 'wait'; args: WaitArgs };
export type DeleteStep = StepBase & { kind: 'delete'; args: DeleteArgs };
export type CurlStep = StepBase & { kind: 'curl'; args: CurlArgs };
export type GrpcurlStep = StepBase & { kind: 'grpcurl'; args: GrpcurlArgs };
export type CaptureStep = StepBase & { kind: 'capture'; args: CaptureArgs };
export type ShellStep = StepBase & { kind: 'shell'; args: ShellArgs };
export type PythonStep = StepBase & { kind: 'python'; args: PythonArgs };
export type WriteFileStep = StepBase & { kind: 'writefile'; args: WriteFileArgs };
export type EnvStep = StepBase & { kind: 'env'; args: EnvArgs };
export type SeldonStep = StepBase & { kind: 'seldon'; args: SeldonArgs };

export type Step =
  | BuildStep
  | ApplyStep
  | WaitStep
  | DeleteStep
  | CurlStep
  | GrpcurlStep
  | CaptureStep
  | ShellStep
  | PythonStep
  | WriteFileStep
  | EnvStep
  | SeldonStep;

/** The typed arguments of one kind: `ArgsOf<'curl'>` is `CurlArgs`. */
export type ArgsOf<K extends StepKind> = Extract<Step, { kind: K }>['args'];

/** A table with one entry per kind; a missing kind is a compile error. */
export type KindTable<T> = { [K in StepKind]: T };

/** Runbook-wide settings from YAML front matter. */
export interface FrontMatter {
  /** Kube contexts this runbook may run against (glob patterns). */
  contexts?: string[];
  /** Variables available to every step (lowest precedence after the process environment). */
  env?: Record<string, string>;
  /** Default per-step timeout in milliseconds. */
  timeoutMs?: number;
  retryBudgetMs?: number;
  title?: string;
  /** `runbook: true` makes every shell fence a step; `runbook: false` makes the file no runbook at all. */
  runbook?: boolean;
}

export interface Plan {
  file: string;
  format: 'markdown' | 'ipynb';
  frontMatter: FrontMatter;
  steps: Step[];
}
