/**
 * The seldon parser reads its flags from the CLI's command table (operator/cmd/seldon/cli/*.go): the flag names
 * and shorthands the Go CLI defines are the ones a typed step accepts, help of any command is a typed step, and
 * what the CLI would refuse or the step would not apply is a shell step with a note.
 */
import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../../../src/parse/command.js';
import { SELDON_ROOT, nameOf, type SeldonCommandDef } from '../../../src/parse/command-seldon-table.js';

const note = (command: string) => {
  const typed = classifyCommand(command);
  return typed.kind === 'shell' ? typed.note : `typed as ${typed.kind}`;
};

/** Every command of the table with its words after `seldon`. */
function* commands(cmd: SeldonCommandDef = SELDON_ROOT, words: string[] = []): Generator<[string[], SeldonCommandDef]> {
  yield [words, cmd];
  for (const child of cmd.children) yield* commands(child, [...words, nameOf(child)]);
}

describe('seldon flags from the command table', () => {
  it('status waits take --timeout-secs or -t (model_status.go), not a --timeout the CLI does not define', () => {
    expect(classifyCommand('seldon model status iris -t 5 -w ModelAvailable').args).toMatchObject({ command: { verb: 'status', timeoutSec: 5, wait: 'ModelAvailable' } });
    expect(classifyCommand('seldon pipeline status p --timeout-secs=7').args).toMatchObject({ command: { verb: 'status', timeoutSec: 7 } });
    expect(note('seldon model status iris --timeout 5')).toBe('runs in the shell: seldon flag --timeout is not one the typed step understands (the CLI says: unknown flag: --timeout)');
  });

  it("pipeline inspect's -t is --truncate and -v --verbose (pipeline_inspect.go)", () => {
    expect(classifyCommand('seldon pipeline inspect p -t -v').args).toMatchObject({ command: { verb: 'inspect', truncate: true, verbose: true } });
  });

  it('a flag the CLI defines but the step does not apply makes a shell step', () => {
    expect(note(`seldon model infer iris -r '{}'`)).toBe('runs in the shell: seldon flag --show-request is one the typed step does not apply');
    expect(note(`seldon model infer iris --seconds 3 '{}'`)).toBe('runs in the shell: seldon flag --seconds is one the typed step does not apply');
    // infer has no --verbose in the CLI.
    expect(note(`seldon model infer iris -v '{}'`)).toMatch(/seldon flag -v is not one the typed step understands \(the CLI says: unknown shorthand flag: 'v' in -v\)/);
  });

  it('commands the CLI has but the step does not run are shell steps; cobra errors name the CLI words', () => {
    expect(note('seldon config list')).toBe('runs in the shell: seldon config list is not a command the typed step knows');
    // The table lists config's and completion's subcommands by name only: their help and flags are not told.
    expect(note('seldon config list --help')).toBe('runs in the shell: seldon config list is not a command the typed step knows');
    expect(note('seldon help completion bash')).toBe('runs in the shell: seldon completion bash is not a command the typed step knows');
    expect(note('seldon load -f x.yaml')).toBe('runs in the shell: seldon load is not a command the typed step knows');
    expect(note('seldon model frobnicate iris')).toBe('runs in the shell: seldon model frobnicate is not a command (the CLI says: model subcommand required)');
    expect(note('seldon model status')).toBe('runs in the shell: the CLI refuses seldon model status: accepts 1 arg(s), received 0');
  });

  it("every command's help is a typed help step whose text starts with its Long or Short", () => {
    let count = 0;
    for (const [words, cmd] of commands()) {
      if (cmd.opaque) continue;
      const typed = classifyCommand(['seldon', ...words, '--help'].join(' '));
      expect(typed.kind, words.join(' ')).toBe('seldon');
      const command = typed.kind === 'seldon' ? typed.args.command : undefined;
      expect(command?.verb, words.join(' ')).toBe('help');
      const text = command?.verb === 'help' ? command.text : '';
      expect(text.startsWith((cmd.long ?? cmd.short).trimEnd()), words.join(' ')).toBe(true);
      expect(text.endsWith('\n') && !text.endsWith('\n\n'), words.join(' ')).toBe(true);
      count++;
    }
    // The root, 5 groups with 18 commands under model/server/experiment/pipeline, load/unload/status, help, completion.
    expect(count).toBe(29);
  });
});
