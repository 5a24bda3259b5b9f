/**
 * Seldon Core 2's `seldon` CLI as cobra builds it: every command's name, `Use`, `Short`, `Long`, argument rule and
 * pflag flags (type, default, usage), taken from operator/cmd/seldon/cli/*.go for the release whose behaviours the
 * seldon step follows (Apache-licensed 2.x after `--verbose`/`--timeout-secs` arrived, status waits 60 s by default,
 * before `--kafka-config-path` and `--force`). Commands are listed in the order the Go code adds them (cobra keeps
 * that order for suggestions and sorts by name for help). The parser reads flags from here and the help printer
 * prints from here, so the two cannot disagree.
 *
 * Entries marked `derived` are not in the sources we could read for that release; they follow their confirmed
 * siblings of the same release (the refactor that gave every scheduler command `-v` gave it to all of them).
 */

/** pflag's value types, as `Value.Type()` names them. */
export type SeldonFlagType = 'bool' | 'string' | 'int' | 'int64' | 'stringArray';

export interface SeldonFlag {
  /** Where the parser stores its values (the seldon step's names). */
  key: string;
  name: string;
  short?: string;
  type: SeldonFlagType;
  /** pflag's DefValue: what `(default …)` shows when it is not the type's zero value. */
  default: string;
  /** The CLI reads this variable for the default when it starts (`env.GetString(…)`). */
  env?: string;
  usage: string;
  /** `MarkFlagRequired`: cobra refuses to run without it. */
  required?: boolean;
}

/** cobra's positional-argument rules (`nil` is the legacy rule: a root refuses unknown subcommands). */
export type SeldonArgsRule = { type: 'any' } | { type: 'exact'; n: number } | { type: 'min'; n: number } | { type: 'none' };

export interface SeldonCommandDef {
  use: string;
  short: string;
  long?: string;
  args: SeldonArgsRule;
  /** False for a command with no Run (cobra prints its help when it is called). */
  runnable: boolean;
  flags: readonly SeldonFlag[];
  children: readonly SeldonCommandDef[];
  /** The error a group's RunE returns when no subcommand is given. */
  requires?: string;
  /** Listed by its parent, but neither its help nor its run is something the typed step reproduces. */
  opaque?: boolean;
}

const schedulerHost: SeldonFlag = { key: 'schedulerHost', name: 'scheduler-host', type: 'string', default: '0.0.0.0:9004', env: 'SELDON_SCHEDULE_HOST', usage: 'seldon scheduler host' };
const inferenceHost: SeldonFlag = { key: 'inferenceHost', name: 'inference-host', type: 'string', default: '0.0.0.0:9000', env: 'SELDON_INFER_HOST', usage: 'seldon inference host' };
const kafkaBroker: SeldonFlag = { key: 'kafkaBroker', name: 'kafka-broker', type: 'string', default: '0.0.0.0:9092', env: 'SELDON_KAFKA_BROKER', usage: 'kafka broker' };
const authority: SeldonFlag = { key: 'authority', name: 'authority', type: 'string', default: '', usage: 'authority (HTTP/2) or virtual host (HTTP/1)' };
const verbose: SeldonFlag = { key: 'verbose', name: 'verbose', short: 'v', type: 'bool', default: 'false', usage: 'verbose output' };
const timeout: SeldonFlag = { key: 'timeout', name: 'timeout-secs', short: 't', type: 'int64', default: '60', usage: 'timeout seconds' };
const showRequest: SeldonFlag = { key: 'showRequest', name: 'show-request', short: 'r', type: 'bool', default: 'false', usage: 'show request' };
const showResponse: SeldonFlag = { key: 'showResponse', name: 'show-response', short: 'o', type: 'bool', default: 'true', usage: 'show response' };
const manifest = (what: string, required = false): SeldonFlag => ({
  key: 'file',
  name: 'file-path',
  short: 'f',
  type: 'string',
  default: '',
  usage: `${what} manifest file (YAML)`,
  ...(required ? { required } : {}),
});
const wait = (usage: string, type: 'string' | 'bool'): SeldonFlag => ({ key: 'wait', name: 'wait', short: 'w', type, default: type === 'bool' ? 'false' : '', usage });

/** What the scheduler's load/unload/start/stop commands take. */
const change = (what: string, required = false): SeldonFlag[] => [verbose, schedulerHost, authority, manifest(what, required)];
/** What every status command takes besides its `--wait`. */
const status = [timeout, verbose, schedulerHost, authority];
const list = [schedulerHost, authority];
const infer = (resource: 'model' | 'pipeline'): SeldonCommandDef => ({
  use: `infer <${resource}Name> (data)`,
  short: `run inference on a ${resource}`,
  long: `call a ${resource} with a given input and get a prediction`,
  args: { type: 'min', n: 1 },
  runnable: true,
  // derived for pipelines: the model command's flags.
  flags: [
    showRequest,
    showResponse,
    { key: 'file', name: 'file-path', short: 'f', type: 'string', default: '', usage: 'inference payload file' },
    { key: 'sticky', name: 'sticky-session', short: 's', type: 'bool', default: 'false', usage: 'use sticky session from last inference (only works with experiments)' },
    inferenceHost,
    { key: 'mode', name: 'inference-mode', type: 'string', default: 'rest', usage: 'inference mode (rest or grpc)' },
    { key: 'iterations', name: 'iterations', short: 'i', type: 'int', default: '1', usage: 'how many times to run inference' },
    { key: 'seconds', name: 'seconds', short: 't', type: 'int64', default: '0', usage: 'number of secs to run inference' },
    { key: 'showHeaders', name: 'show-headers', type: 'bool', default: 'false', usage: 'show request and response headers' },
    { key: 'header', name: 'header', type: 'stringArray', default: '[]', usage: 'add a header, e.g. key=value; use the flag multiple times to add more than one header' },
    authority,
  ],
  children: [],
});

const leaf = (use: string, short: string, long: string, args: SeldonArgsRule, flags: readonly SeldonFlag[]): SeldonCommandDef => ({ use, short, long, args, runnable: true, flags, children: [] });
const group = (name: string, short: string, long: string, children: SeldonCommandDef[]): SeldonCommandDef => ({
  use: `${name} <subcomand>`,
  short,
  long,
  args: { type: 'min', n: 0 },
  runnable: true,
  flags: [],
  children,
  requires: `${name} subcommand required`,
});
const opaque = (use: string, short: string): SeldonCommandDef => ({ use, short, args: { type: 'any' }, runnable: true, flags: [], children: [], opaque: true });

const model = group('model', 'manage models', 'load and unload and get status for models', [
  leaf('load', 'load a model', 'load a model', { type: 'min', n: 0 }, change('model', true)),
  // derived: -v and -f as the pipeline's unload.
  leaf('unload <modelName>', 'unload a model', 'unload a model', { type: 'any' }, change('model')),
  leaf('status <modelName>', 'get status for model', 'get the status for a model', { type: 'exact', n: 1 }, [...status, wait('model wait condition', 'string')]),
  infer('model'),
  leaf('metadata <modelName>', 'get model metadata', 'get model metadata', { type: 'exact', n: 1 }, [inferenceHost, authority]),
  leaf('list', 'get list of models', 'get the list of all models with their status', { type: 'min', n: 0 }, list),
]);

const server = group('server', 'manage servers', 'get status for servers', [
  leaf('status', 'get status for server', 'get the status for a server', { type: 'min', n: 1 }, [verbose, showRequest, showResponse, schedulerHost, authority]),
  leaf('list', 'get list of servers', 'get the available servers, their replicas and loaded models', { type: 'min', n: 0 }, list),
]);

const experiment = group('experiment', 'manage experiments', 'experiments allow you to test models by splitting traffic between candidates.', [
  // derived: -v as the other scheduler commands.
  leaf('start', 'start an experiment', 'start an experiment', { type: 'min', n: 0 }, change('experiment', true)),
  leaf('stop <experimentName>', 'stop an experiment', 'stop an experiment', { type: 'any' }, change('experiment')),
  leaf('status <experimentName>', 'get status for experiment', 'get status for experiment', { type: 'exact', n: 1 }, [...status, wait('wait for experiment to be active', 'bool')]),
  leaf('list', 'get list of experiments', 'get list of experiments and whether they are active', { type: 'min', n: 0 }, list),
]);

const pipeline = group('pipeline', 'manage pipelines', 'pipelines allow you to join models together into inference graphs.', [
  leaf('load', 'load a pipeline', 'load a pipeline', { type: 'min', n: 0 }, change('pipeline', true)),
  leaf('unload <pipelineName> or -f <filename>', 'unload a pipeline', 'unload a pipeline', { type: 'any' }, change('pipeline')),
  // derived: the model status flags with the pipeline's wait usage.
  leaf('status <pipelineName>', 'status of a pipeline', 'status of a pipeline', { type: 'exact', n: 1 }, [...status, wait('pipeline wait condition', 'string')]),
  infer('pipeline'),
  leaf('list', 'list pipelines', 'list pipelines', { type: 'min', n: 0 }, list),
  leaf(
    'inspect <expression>',
    'inspect data in a pipeline',
    'inspect data in a pipeline. Specify as pipelineName or pipelineName.(inputs|outputs) or pipeineName.stepName or pipelineName.stepName.(inputs|outputs) or pipelineName.stepName.(inputs|outputs).tensorName',
    { type: 'exact', n: 1 },
    [
      kafkaBroker,
      { key: 'offset', name: 'offset', type: 'int64', default: '1', usage: 'message offset to start reading from, i.e. default 1 is the last message only' },
      { key: 'requestId', name: 'request-id', type: 'string', default: '', usage: 'request id to show, if not specified will be all messages in offset range' },
      schedulerHost,
      { key: 'format', name: 'format', type: 'string', default: 'raw', usage: 'inspect output format: raw or json. Default raw' },
      { key: 'namespace', name: 'namespace', type: 'string', default: '', usage: 'Kubernetes namespace. Default default' },
      { ...verbose, usage: 'display more details, such as headers' },
      { key: 'truncate', name: 'truncate', short: 't', type: 'bool', default: 'false', usage: 'truncate data' },
    ],
  ),
]);

const config = group('config', 'manage configs', 'Manage and activate configuration files for the CLI', [
  opaque('activate', 'activate config'),
  opaque('add', 'add config'),
  opaque('deactivate', 'deactivate config'),
  opaque('list', 'list configs'),
  opaque('remove', 'remove config'),
]);

/** cobra's own `help` command (InitDefaultHelpCmd), added to the root after the program's commands. */
export const HELP_COMMAND: SeldonCommandDef = {
  use: 'help [command]',
  short: 'Help about any command',
  long: 'Help provides help for any command in the application.\nSimply type seldon help [path to command] for full details.',
  args: { type: 'any' },
  runnable: true,
  flags: [],
  children: [],
};

const shell = (name: string): SeldonCommandDef => ({ ...opaque(name, `Generate the autocompletion script for ${name}`), args: { type: 'none' } });

/** cobra's `completion` command (InitDefaultCompletionCmd), added after `help`; it has no Run. */
const completion: SeldonCommandDef = {
  use: 'completion',
  short: 'Generate the autocompletion script for the specified shell',
  long: "Generate the autocompletion script for seldon for the specified shell.\nSee each sub-command's help for details on how to use the generated script.\n",
  args: { type: 'none' },
  runnable: false,
  flags: [],
  children: [shell('bash'), shell('zsh'), shell('fish'), shell('powershell')],
};

export const SELDON_ROOT: SeldonCommandDef = {
  use: 'seldon',
  short: '',
  args: { type: 'any' },
  runnable: false,
  flags: [],
  children: [
    model,
    server,
    experiment,
    pipeline,
    config,
    leaf('load', 'load resources', 'load resources', { type: 'min', n: 0 }, change('model')),
    leaf('unload resources', 'unload resources', 'unload resources', { type: 'any' }, change('model')),
    leaf('status <pipelineName>', 'status of a pipeline', 'status of a pipeline', { type: 'exact', n: 0 }, [...status, wait('wait for resources to be ready', 'bool'), manifest('model')]),
    HELP_COMMAND,
    completion,
  ],
};

/** The first word of `Use`, as cobra's `Name()`. */
export function nameOf(cmd: SeldonCommandDef): string {
  return cmd.use.split(' ')[0]!;
}
