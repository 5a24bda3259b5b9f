/**
 * The `seldon` step: Seldon Core 2's CLI run natively (the scheduler over gRPC, inference over the Open Inference
 * Protocol, pipeline topics from the Kafka broker), printing what the Go CLI prints: output on stdout, a failure as
 * `Error: …` on stderr with exit status 1. A trailing `| jq -M FILTER` is applied to the output. What load/start
 * created and unload/stop removed is reported as touched objects, so cleanup undoes loads after a failure.
 * grpc-js and protobufjs load only when a seldon step runs.
 */
import type { SeldonArgs } from '../src/core/model.js';
import type { StepContext, StepOutput, StepRunner } from '../src/core/step.js';
import { withVars } from './substitute.js';
import { CliError, RunbookStop, type Printed } from './seldon/printed.js';

/** Failures the CLI reports as `Error: …` (named, so printing one needs no import of the modules that throw them). */
const KNOWN_ERRORS = new Set(['ManifestError', 'RpcError']);

async function dispatch(args: SeldonArgs, ctx: StepContext): Promise<Printed> {
  const { command } = args;
  switch (command.verb) {
    case 'load':
    case 'unload':
    case 'status':
    case 'list':
      return (await import('./seldon/scheduler.js')).runScheduler(command, args, ctx);
    case 'infer':
      return (await import('./seldon/infer.js')).runInfer(command, args, ctx);
    case 'metadata':
      return (await import('./seldon/infer.js')).runMetadata(command.name, args, ctx);
    case 'inspect':
      return (await import('./seldon/inspect.js')).runInspect(command, args, ctx);
    case 'help':
      // cobra prints help on stdout and exits 0; the parser rendered it from the CLI's command table.
      return { stdout: command.text };
  }
}

/** Runs a seldon command (its arguments already substituted) and returns what the CLI would print. */
export async function runSeldon(args: SeldonArgs, ctx: StepContext): Promise<StepOutput> {
  let printed: Printed;
  let stderr = '';
  let exitCode = 0;
  let diagnostics: string[] | undefined;
  try {
    printed = await dispatch(args, ctx);
  } catch (err) {
    if (!(err instanceof CliError || (err instanceof Error && KNOWN_ERRORS.has(err.name)))) throw err;
    printed = { stdout: err instanceof CliError ? err.stdout : '' };
    stderr = err instanceof RunbookStop ? `${err.message}\n` : `Error: ${err.message}\n`;
    if (err instanceof RunbookStop) diagnostics = err.diagnostics;
    exitCode = 1;
  }
  let { stdout } = printed;
  if (args.jq) {
    const jq = (await import('./seldon/jq.js')).applyJq(args.jq, stdout);
    stdout = jq.stdout;
    stderr += jq.stderr;
    // `bash -o pipefail`, as shell steps run: the last failure in the pipeline.
    if (jq.exitCode !== 0) exitCode = jq.exitCode;
  }
  if (stdout) ctx.write('stdout', stdout);
  if (stderr) ctx.write('stderr', stderr);
  const objects = printed.objects?.filter(() => exitCode === 0);
  return {
    stdout,
    stderr,
    exitCode,
    ...(objects && objects.length > 0 ? { data: { type: 'objects' as const, objects } } : {}),
    ...(diagnostics ? { diagnostics } : {}),
  };
}

export const seldon: StepRunner<'seldon'> = {
  async warm() {
    // What every seldon step needs; grpc-js and protobufjs load with the first call that speaks gRPC.
    await Promise.all([import('./seldon/infer.js'), import('./seldon/addresses.js')]);
  },
  run(rawArgs, ctx) {
    return runSeldon(withVars.seldon(rawArgs, ctx.vars), ctx);
  },
};
