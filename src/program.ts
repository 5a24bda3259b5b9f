/**
 * Entry point. Kept tiny on purpose: each command's module (and whatever heavy library it needs) is imported
 * only when that command runs, so `runbook --version` costs little more than starting Node.
 */
import { Command, CommanderError, Help, Option } from 'commander';
import { ExitCode } from './core/errors.js';
import { settleSignals } from './commands/run-signals.js';

declare const RUNBOOK_VERSION: string | undefined;
const version = typeof RUNBOOK_VERSION === 'string' ? RUNBOOK_VERSION : '0.0.0-dev';

/** Runs a command module's `main` and turns its result into the process exit code. */
function action<A extends unknown[]>(load: () => Promise<{ main: (...args: A) => Promise<number> }>) {
  return async (...args: A) => {
    const mod = await load();
    process.exitCode = await mod.main(...args);
  };
}

const RUN_HELP_AFTER = `
Examples:
  runbook run runbooks/istio.md --sandbox
  runbook run runbooks/istio.md --sandbox --from "Traffic Split"
  runbook run docs/ --kubeconfig ~/.kube/config --context kind-seldon
  runbook run docs/ --sandbox --shard 1/2 --reporter junit=report.xml

Exit codes: 0 every step passed, 1 a step drifted or failed, 2 bad input or
usage, 130 interrupted (Ctrl-C or SIGTERM).`;

/** An option's help without commander's "(default: [])" for repeatable options, which says nothing. */
function withoutEmptyDefault(this: Help, option: Option): string {
  return Help.prototype.optionDescription.call(this, option).replace(' (default: [])', '');
}

export function program(): Command {
  const cli = new Command('runbook')
    .description('Run notebook-style Markdown runbooks against Kubernetes and check every output against the recording.')
    .version(version, '-V, --version')
    .showHelpAfterError()
    // At most 80 columns (fewer on a narrower terminal), descriptions wrapped beside even the longest option.
    .configureHelp({ helpWidth: Math.min(80, process.stdout.columns || 80), minWidthToWrap: 20, optionDescription: withoutEmptyDefault })
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride();

  cli
    .command('list')
    .description('print the plan of runbooks: their steps, kinds and recorded outputs, and the files in folders that are not runbooks')
    .argument('<paths...>', 'runbooks (.md, .ipynb) or folders of them')
    .option('--json', 'print the plan as JSON')
    .action(action(() => import('./commands/list.js')));

  cli
    .command('check')
    .description('lint runbooks without a cluster: referenced files exist, YAML parses, directives are valid')
    .argument('<paths...>', 'runbooks (.md, .ipynb) or folders of them')
    .action(action(() => import('./commands/check.js')));

  cli
    .command('convert')
    .description('write the Markdown runbook of a Jupyter notebook, or the notebook of a Markdown runbook')
    .argument('<file>', 'notebook (.ipynb) or Markdown runbook (.md)')
    .option('-o, --output <file>', 'write here instead of standard output')
    .action(action(() => import('./commands/convert.js')));

  cli.command('compare').description('compare two recordings of a doc cell by cell: same, volatile-only (which rules), or changed (exit 1)').argument('<old>', 'the recording before (.ipynb or .md)').argument('<new>', 'the re-executed recording (.ipynb or .md)').option('--json', 'print the verdicts as JSON').action(action(() => import('./commands/compare.js')));

  const collect = (value: string, previous: string[]) => [...previous, value];
  cli
    .command('run')
    .description('run runbooks and compare every step with its recorded output')
    .argument('<paths...>', 'runbooks (.md, .ipynb) or folders of them')
    .option('--kubeconfig <path>', 'kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--require-context <name>', 'refuse to run unless the context is NAME')
    .option('--sandbox', 'run against an embedded sandbox cluster started for the run')
    .option('--sandbox-kubeconfig <path>', 'where the sandbox writes its kubeconfig')
    .option('--sandbox-port <n>', 'sandbox API port')
    .option('--sandbox-ingress-port <n>', 'sandbox ingress port')
    .option('--sandbox-load-delay <duration>', 'time a sandbox Model takes to become ready')
    .option('--sandbox-fault-watch-drop <duration>', 'sandbox ends every watch after this long')
    .option('--sandbox-fault-api-error-rate <fraction>', 'sandbox answers this share of API requests with 500 or 429')
    .option('--sandbox-fault-route-delay <duration>', 'sandbox ingress answers 503 this long after a route change')
    .option('--reporter <name[=file]>', 'ink, plain, json=FILE, junit=FILE, github (repeatable)', collect, [])
    .option('--set <key=value>', 'set a variable (repeatable)', collect, [])
    .option('--connect-to <h:p:h2:p2>', 'connect to h2:p2 for requests to h:p, like curl (repeatable)', collect, [])
    .option('--only <steps>', 'run only these steps: an index, a range (3-5) or heading text')
    .option('--from <step>', 'start at this step (index or heading text)')
    .option('--until <step>', 'stop after this step (index or heading text)')
    // No commander defaults: a flag that was given beats the front matter, which beats 5m and 30s.
    .option('--timeout <duration>', "default per-step timeout, over the front matter's (default: 5m; a wait's own --timeout wins)")
    .option('--retry-budget <duration>', "how long read-only steps are retried until they match, over the front matter's (default: 30s)")
    .option('--update', 'rewrite the recorded output of steps that differ')
    .option('--verify-splits <n>', 'send N more requests through each traffic-split step and check the shares')
    .option('--step', 'guided workshop mode: one step at a time')
    .option('--no-cleanup', 'keep what a failed or interrupted run created')
    .option('--fail-fast', 'skip the remaining steps after the first failure')
    .option('--allow-writes-outside', "let %%writefile cells write outside the runbook's folder")
    .option('--concurrency <n>', 'runbooks run in parallel', '1')
    .option('--shard <i/n>', 'run only the i-th of n stable shares of the runbooks')
    .addHelpText('after', RUN_HELP_AFTER)
    .action(action(() => import('./commands/run.js')));

  cli
    .command('sandbox')
    .description('run the embedded sandbox cluster in the foreground')
    .option('--kubeconfig <path>', 'where to write the kubeconfig')
    .option('--port <n>', 'API server port (default: a free port)')
    .option('--ingress-port <n>', 'ingress port (default: a free port)')
    .option('--load-delay <duration>', 'time a Model takes to become ready', '300ms')
    .addOption(new Option('--fault-watch-drop <duration>', 'end every watch after this long').hideHelp(false))
    .option('--fault-api-error-rate <fraction>', 'answer this share of non-watch API requests with 500 or 429')
    .option('--fault-route-delay <duration>', 'after a route or model change, answer 503 for this long')
    .action(action(() => import('./commands/sandbox.js')));

  cli.command('seldon').description("Seldon Core 2's CLI, run natively (the seldon step as a command)").argument('[args...]', 'as for seldon').helpOption(false).allowUnknownOption().action(action(() => import('./commands/seldon.js')));

  return cli;
}

export async function run(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
  // A signal no command claimed (it came during `list` or `check`) still means interrupted.
  if (settleSignals()) process.exitCode = ExitCode.interrupted;
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with exit code 0.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof Error && error.name === 'InputError') {
    process.stderr.write(`runbook: ${(error as Error & { format(): string }).format()}\n`);
    return ExitCode.usage;
  }
  process.stderr.write(`runbook: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.failed;
}


