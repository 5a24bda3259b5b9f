/**
 * `runbook seldon` as the Go CLI answers help and bad command lines, through the built CLI. Each expected transcript
 * is written from operator/cmd/seldon/cli/*.go (Use, Short, Long, flags) and the cobra/pflag rule named beside it,
 * not from our own output. The last tests run help and a bad flag inside a runbook.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../../commands/run-cli.js';

// No SELDON_* variables, so the defaults are the Go constants (the CLI reads them into the defaults when it starts).
const clean = { SELDON_SCHEDULE_HOST: undefined, SELDON_INFER_HOST: undefined, SELDON_KAFKA_BROKER: undefined };
const seldon = (...args: string[]) => runCli(['seldon', ...args], { env: clean });
const lines = (...list: string[]) => `${list.join('\n')}\n`;

// model_status.go: Int64P timeout-secs/t (60), BoolP verbose/v, String scheduler-host (env default), String
// authority, StringP wait/w; cobra adds -h. An int64 is named "int"; a bool has no type word; a string default is %q.
const STATUS_HELP = [
  'get the status for a model',
  '',
  'Usage:',
  '  seldon model status <modelName> [flags]',
  '',
  'Flags:',
  '      --authority string        authority (HTTP/2) or virtual host (HTTP/1)',
  '  -h, --help                    help for status',
  '      --scheduler-host string   seldon scheduler host (default "0.0.0.0:9004")',
  '  -t, --timeout-secs int        timeout seconds (default 60)',
  '  -v, --verbose                 verbose output',
  '  -w, --wait string             model wait condition',
];

// root.go adds model, server, experiment, pipeline, config, load, unload, status; cobra adds help and completion.
// The usage template lists them sorted, each name padded to cobra's NamePadding (the longest name, at least 11).
const ROOT_COMMANDS = [
  '  completion  Generate the autocompletion script for the specified shell',
  '  config      manage configs',
  '  experiment  manage experiments',
  '  help        Help about any command',
  '  load        load resources',
  '  model       manage models',
  '  pipeline    manage pipelines',
  '  server      manage servers',
  '  status      status of a pipeline',
  '  unload      unload resources',
];
// The root has no Short or Long and no Run: the help template starts at "Usage:" with only "seldon [command]".
const ROOT_HELP = lines(
  'Usage:',
  '  seldon [command]',
  '',
  'Available Commands:',
  ...ROOT_COMMANDS,
  '',
  'Flags:',
  '  -h, --help   help for seldon',
  '',
  'Use "seldon [command] --help" for more information about a command.',
);

describe('seldon help, as cobra prints it', () => {
  beforeAll(ensureBuilt);

  it('root: --help, -h, `help` and no arguments at all print the same help on stdout, exit 0', async () => {
    for (const args of [['--help'], ['-h'], ['help'], []]) {
      expect(await seldon(...args), args.join(' ')).toEqual({ code: 0, stdout: ROOT_HELP, stderr: '' });
    }
  });

  it('group: Long, a use line (the group has a RunE) and a [command] line, its subcommands, its flags', async () => {
    const expected = lines(
      'load and unload and get status for models',
      '',
      'Usage:',
      // UseLine: parent path, Use ("model <subcomand>", the Go spelling), " [flags]" since --help exists.
      '  seldon model <subcomand> [flags]',
      '  seldon model [command]',
      '',
      'Available Commands:',
      '  infer       run inference on a model',
      '  list        get list of models',
      '  load        load a model',
      '  metadata    get model metadata',
      '  status      get status for model',
      '  unload      unload a model',
      '',
      'Flags:',
      '  -h, --help   help for model',
      '',
      'Use "seldon model [command] --help" for more information about a command.',
    );
    expect(await seldon('model', '--help')).toEqual({ code: 0, stdout: expected, stderr: '' });
    // cobra's help command finds the topic from the root; a flag before the subcommand does not hide it.
    expect((await seldon('help', 'model')).stdout).toBe(expected);
    expect((await seldon('--help', 'model')).stdout).toBe(expected);
  });

  it('leaf: pflag FlagUsages sorted by name, aligned three spaces after the longest head, defaults shown unless zero', async () => {
    const expected = lines(...STATUS_HELP);
    expect(await seldon('model', 'status', '-h')).toEqual({ code: 0, stdout: expected, stderr: '' });
    expect((await seldon('help', 'model', 'status')).stdout).toBe(expected);
    // --help wins over the missing argument: cobra checks the help flag before the command's Args.
    expect((await seldon('model', 'status', 'iris', '--help')).stdout).toBe(expected);
  });

  it('leaf: a stringArray, a bool that defaults to true and the env default the CLI reads when it starts', async () => {
    const infer = await runCli(['seldon', 'model', 'infer', '--help'], { env: { ...clean, SELDON_INFER_HOST: '10.1.2.3:80' } });
    expect(infer.code).toBe(0);
    expect(infer.stdout.split('\n').slice(6, 10)).toEqual([
      '      --authority string        authority (HTTP/2) or virtual host (HTTP/1)',
      '  -f, --file-path string        inference payload file',
      // A stringArray's zero default ("[]") is not shown.
      '      --header stringArray      add a header, e.g. key=value; use the flag multiple times to add more than one header',
      '  -h, --help                    help for infer',
    ]);
    expect(infer.stdout).toContain('\n      --inference-host string   seldon inference host (default "10.1.2.3:80")\n');
    expect(infer.stdout).toContain('\n  -o, --show-response           show response (default true)\n');
    expect(infer.stdout).toContain('\n  -i, --iterations int          how many times to run inference (default 1)\n');
  });

  it('a command without Run (completion) prints its help even with arguments', async () => {
    const out = await seldon('completion', 'nosuchshell');
    expect(out.code).toBe(0);
    // The Long ends in a newline that the template trims before the blank line.
    expect(out.stdout.startsWith("Generate the autocompletion script for seldon for the specified shell.\nSee each sub-command's help for details on how to use the generated script.\n\nUsage:\n  seldon completion [command]\n")).toBe(true);
  });
});

describe('seldon usage errors, as cobra prints them', () => {
  beforeAll(ensureBuilt);

  it('an unknown command: legacyArgs at the root, suggestions within Levenshtein distance 2, then the usage hint', async () => {
    // "modle" is two edits from "model" and more from the others: one suggestion, on a tab, and a blank line
    // (findSuggestions ends its list with a newline that PrintErrln follows with another).
    expect(await seldon('modle', 'list')).toEqual({
      code: 1,
      stdout: '',
      stderr: lines('Error: unknown command "modle" for "seldon"', '', 'Did you mean this?', '\tmodel', '', "Run 'seldon --help' for usage."),
    });
    // A prefix suggests too, in the order root.go adds the commands (server before status).
    expect((await seldon('s')).stderr).toBe(lines('Error: unknown command "s" for "seldon"', '', 'Did you mean this?', '\tserver', '\tstatus', '', "Run 'seldon --help' for usage."));
    // Nothing close: no suggestion block.
    expect((await seldon('frobnicate')).stderr).toBe(lines('Error: unknown command "frobnicate" for "seldon"', "Run 'seldon --help' for usage."));
  });

  it('an unknown flag: pflag\'s words, and no usage after it (root.go sets SilenceUsage)', async () => {
    expect(await seldon('model', 'load', '--foo')).toEqual({ code: 1, stdout: '', stderr: 'Error: unknown flag: --foo\n' });
    expect(await seldon('model', 'load', '-vx')).toEqual({ code: 1, stdout: '', stderr: "Error: unknown shorthand flag: 'x' in -x\n" });
    expect(await seldon('model', 'status', 'iris', '-w')).toEqual({ code: 1, stdout: '', stderr: "Error: flag needs an argument: 'w' in -w\n" });
    expect((await seldon('model', 'infer', 'iris', '-i', 'many', '{}')).stderr).toBe(
      'Error: invalid argument "many" for "-i, --iterations" flag: strconv.ParseInt: parsing "many": invalid syntax\n',
    );
  });

  it("a group without a subcommand runs its RunE, arguments and required flags are checked in cobra's order", async () => {
    expect(await seldon('model')).toEqual({ code: 1, stdout: '', stderr: 'Error: model subcommand required\n' });
    expect((await seldon('model', 'status')).stderr).toBe('Error: accepts 1 arg(s), received 0\n');
    expect((await seldon('model', 'load')).stderr).toBe('Error: required flag(s) "file-path" not set\n');
    // cobra's help command on a topic it cannot find: a line and the root's usage on stderr, status 0.
    expect(await seldon('help', 'nothing')).toEqual({ code: 0, stdout: '', stderr: `Unknown help topic [\`nothing\`]\n${ROOT_HELP}` });
  });
});

describe('seldon help and usage errors in a runbook', () => {
  beforeAll(ensureBuilt);

  const runbook = async (recorded: string[]) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'seldon-help-'));
    const file = path.join(dir, 'help.md');
    await writeFile(file, ['# Help', '', '```bash', 'seldon model status --help', '```', '```output', ...recorded, '```', ''].join('\n'));
    return file;
  };

  it('a recorded help cell passes as a typed seldon step, and fails when the recording differs', async () => {
    const file = await runbook(STATUS_HELP);
    const plan = JSON.parse((await runCli(['list', file, '--json'])).stdout) as { steps: { kind: string; args: { command: { verb: string } } }[] };
    expect(plan.steps.map((s) => [s.kind, s.args.command.verb])).toEqual([['seldon', 'help']]);
    const pass = await runCli(['run', file, '--reporter', 'plain'], { env: { ...clean, KUBECONFIG: '/nonexistent' } });
    expect(pass.stdout + pass.stderr).toMatch(/1 passed, 0 failed/);
    expect(pass.code).toBe(0);
    const stale = await runbook(STATUS_HELP.map((l) => l.replace('(default 60)', '(default 30)')));
    const fail = await runCli(['run', stale, '--reporter', 'plain'], { env: { ...clean, KUBECONFIG: '/nonexistent' } });
    expect(fail.stdout + fail.stderr).toMatch(/0 passed, 1 failed/);
    expect(fail.code).toBe(1);
  });

  it('an unknown flag or subcommand in a runbook still runs in the shell, with a note naming the CLI error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'seldon-help-'));
    const file = path.join(dir, 'bad.md');
    await writeFile(file, '# Bad\n\n```console\n$ seldon model status iris --colour\n$ seldon modle list\n```\n');
    const plan = JSON.parse((await runCli(['list', file, '--json'])).stdout) as { steps: { kind: string; note?: string }[] };
    expect(plan.steps.map((s) => s.kind)).toEqual(['shell', 'shell']);
    expect(plan.steps[0]!.note).toBe('runs in the shell: seldon flag --colour is not one the typed step understands (the CLI says: unknown flag: --colour)');
    expect(plan.steps[1]!.note).toBe('runs in the shell: seldon modle is not a command');
  });
});
