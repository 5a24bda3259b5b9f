/**
 * The scheduler's verbs (load, unload, status, list) as the seldon CLI runs and prints them: a unary call or one
 * status stream, printed with protojson on one line; `status -w STATE` asks again until the state is reached.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SeldonArgs, SeldonCommand, SeldonResource } from '../../src/core/model.js';
import type { StepContext, TouchedObject } from '../../src/core/step.js';
import { GrpcChannel } from '../../src/net/seldon/grpc-call.js';
import { tabwrite } from '../../src/net/seldon/go-format.js';
import { manifestName, readManifest, schedulerExperiment, schedulerModel, schedulerPipeline } from '../../src/net/seldon/manifests.js';
import { protoText } from '../../src/net/seldon/protojson.js';
import { kubeconfigExtension, resolveAddress, type Address } from './addresses.js';
import { isPermanent, notWaiting, type Permanent, type PermanentStates } from './permanent.js';
import { CliError, RunbookStop, SELDON_LOADED, type Printed } from './printed.js';

const SERVICE = 'seldon.mlops.scheduler.Scheduler';
const SUBSCRIBER = 'seldon CLI';
const KINDS = { model: 'Model', pipeline: 'Pipeline', experiment: 'Experiment' } as const;
/** How often `status -w` asks again (the CLI sleeps a second; the answer it prints is the same). */
const POLL_MS = 250;

type Decoded = Record<string, unknown>;

/** The scheduler channel of a run, kept open from step to step (closed with the run's cache). */
async function channel(address: Address, args: SeldonArgs, ctx: StepContext): Promise<GrpcChannel> {
  const key = `seldon:scheduler:${address.ip}:${address.port}:${address.address}`;
  let open = ctx.cache.get(key) as GrpcChannel | undefined;
  if (!open) {
    open = await GrpcChannel.open('scheduler', SERVICE, `${address.ip}:${address.port}`, address.address, args.hosts.authority, address.source);
    ctx.cache.set(key, open);
  }
  return open;
}

async function manifest(file: string, kind: keyof typeof KINDS, ctx: StepContext): Promise<Decoded> {
  let text: string;
  try {
    text = await readFile(path.resolve(ctx.cwd, file), 'utf8');
  } catch {
    throw new CliError(`open ${file}: no such file or directory`);
  }
  return readManifest(text, KINDS[kind]);
}

const LOAD = { model: ['LoadModel', 'model', schedulerModel], pipeline: ['LoadPipeline', 'pipeline', schedulerPipeline], experiment: ['StartExperiment', 'experiment', schedulerExperiment] } as const;
const UNLOAD = { model: 'UnloadModel', pipeline: 'UnloadPipeline', experiment: 'StopExperiment' } as const;
const STATUS = { model: 'ModelStatus', pipeline: 'PipelineStatus', experiment: 'ExperimentStatus', server: 'ServerStatus' } as const;

function statusRequest(resource: SeldonResource, name?: string): Decoded {
  if (resource === 'model') return { subscriberName: SUBSCRIBER, ...(name === undefined ? {} : { model: { name } }) };
  return { subscriberName: SUBSCRIBER, ...(name === undefined ? {} : { name }) };
}

/** The state `-w` compares: the first version's (as the CLI reads it), or the experiment's `active`. */
function stateOf(resource: SeldonResource, res: Decoded): string | undefined {
  const first = ((res.versions ?? []) as Decoded[])[0];
  const state = first?.state as Decoded | undefined;
  if (resource === 'model') return state ? MODEL_STATES[Number(state.state ?? 0)] : undefined;
  if (resource === 'pipeline') return state ? PIPELINE_STATES[Number(state.status ?? 0)] : undefined;
  if (resource === 'experiment') return res.active ? 'true' : 'false';
  return undefined;
}

const MODEL_STATES = ['ModelStateUnknown', 'ModelProgressing', 'ModelAvailable', 'ModelFailed', 'ModelTerminating', 'ModelTerminated', 'ModelTerminateFailed', 'ScheduleFailed'];
const PIPELINE_STATES = ['PipelineStatusUnknown', 'PipelineCreate', 'PipelineCreating', 'PipelineReady', 'PipelineFailed', 'PipelineTerminate', 'PipelineTerminating', 'PipelineTerminated'];

/** What a step loaded or unloaded; a load that created it carries its manifest (the matchers read experiments'). */
function touched(resource: keyof typeof KINDS, name: string, namespace: unknown, outcome: string, doc?: Decoded): TouchedObject {
  const object = { apiVersion: 'mlops.seldon.io/v1alpha1', kind: KINDS[resource], name, ...(typeof namespace === 'string' ? { namespace } : {}), outcome };
  return outcome === 'created' ? { ...object, manifest: { ...doc, [SELDON_LOADED]: true } } : object;
}

type SchedulerCommand = Extract<SeldonCommand, { verb: 'load' | 'unload' | 'status' | 'list' }>;

/** Runs one scheduler verb; throws CliError with what the CLI prints after `Error: `. */
export async function runScheduler(command: SchedulerCommand, args: SeldonArgs, ctx: StepContext): Promise<Printed> {
  const address = await resolveAddress('scheduler', args, ctx);
  const grpc = await channel(address, args, ctx);
  const call = { deadline: ctx.deadline, signal: ctx.signal };
  const printed = (method: string, res: Decoded | null): string => protoText(grpc.responseType(method), res) + '\n';
  switch (command.verb) {
    case 'load': {
      const [method, field, convert] = LOAD[command.resource];
      const doc = await manifest(command.file, command.resource, ctx);
      const request = convert(doc);
      const name = String(request.name ?? (request.meta as Decoded).name);
      // Loading again what was there before the run changes it (`configured`): cleanup must leave it loaded.
      const existed = await exists(grpc, command.resource, name, call);
      const res = await grpc.unary(method, { [field]: request }, call);
      const namespace = (doc.metadata as Decoded | undefined)?.namespace;
      return { stdout: printed(method, res.response), objects: [touched(command.resource, name, namespace, existed ? 'configured' : 'created', doc)] };
    }
    case 'unload': {
      const method = UNLOAD[command.resource];
      const name = command.name ?? manifestName(await manifest(command.file ?? '', command.resource, ctx));
      const request = command.resource === 'model' ? { model: { name } } : { name };
      const res = await grpc.unary(method, request, call);
      return { stdout: printed(method, res.response), objects: [touched(command.resource, name, undefined, 'deleted')] };
    }
    case 'status':
      return { stdout: await status(grpc, command, call, command.wait === undefined ? undefined : await permanentStates(address, args, ctx)) };
    case 'list':
      return { stdout: await list(grpc, command.resource, call) };
  }
}

/** Whether the scheduler knows the object (any answer with versions, or an active experiment). */
async function exists(grpc: GrpcChannel, resource: keyof typeof KINDS, name: string, call: { deadline: number; signal: AbortSignal }): Promise<boolean> {
  try {
    // A question on the side: a scheduler slow to answer it must not eat the step's time.
    const [res] = await grpc.stream(STATUS[resource], statusRequest(resource, name), { ...call, deadline: Math.min(call.deadline, Date.now() + 5000) });
    if (!res) return false;
    if (resource === 'experiment') return res.active === true;
    const versions = (res.versions ?? []) as Decoded[];
    const state = stateOf(resource, res);
    return versions.length > 0 && state !== 'ModelTerminated' && state !== 'PipelineTerminated';
  } catch {
    return false;
  }
}

/**
 * The sandbox's permanent states, when the scheduler dialled is the sandbox's own (its kubeconfig's extension names
 * it, or a mapping of the same socket); undefined against any other scheduler.
 */
async function permanentStates(address: Address, args: SeldonArgs, ctx: StepContext): Promise<PermanentStates | undefined> {
  const extension = kubeconfigExtension(ctx);
  if (!extension?.permanentStates) return undefined;
  const sandbox = await resolveAddress('scheduler', { ...args, hosts: { ...args.hosts, scheduler: extension.schedulerHost } }, ctx);
  return sandbox.ip === address.ip && sandbox.port === address.port ? extension.permanentStates : undefined;
}

async function status(
  grpc: GrpcChannel,
  command: Extract<SeldonCommand, { verb: 'status' }>,
  call: { deadline: number; signal: AbortSignal },
  permanent?: PermanentStates,
): Promise<string> {
  const method = STATUS[command.resource];
  const type = grpc.responseType(method);
  const ask = async () => (await grpc.stream(method, statusRequest(command.resource, command.name), call))[0] ?? null;
  if (command.wait === undefined) return protoText(type, await ask()) + '\n';
  const timeoutSec = command.timeoutSec ?? 60;
  const limit = Date.now() + timeoutSec * 1000;
  const kind = KINDS[command.resource as keyof typeof KINDS] ?? 'Server';
  for (;;) {
    const res = await ask();
    const state = res ? stateOf(command.resource, res) : undefined;
    if (res && state === command.wait) {
      // The CLI's model wait loop keeps the answer in a shadowed variable, so it prints an empty message: `{}`.
      return protoText(type, command.resource === 'model' ? null : res) + '\n';
    }
    const found = res && permanent ? await hopeless(grpc, command, res, permanent, call) : undefined;
    if (found) {
      const { line, diagnostics } = notWaiting(found, `${timeoutSec}s`);
      throw new RunbookStop(line, diagnostics);
    }
    if (Date.now() > limit) throw new CliError(`${kind} wait status timeout`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (call.signal.aborted) throw new CliError('context canceled');
  }
}

/**
 * Why the awaited state can never come, on the sandbox: the object is in a permanent state, or it is a pipeline
 * awaited ready whose step model is (a pipeline is ready only once every step's model is available).
 */
async function hopeless(
  grpc: GrpcChannel,
  command: Extract<SeldonCommand, { verb: 'status' }>,
  res: Decoded,
  permanent: PermanentStates,
  call: { deadline: number; signal: AbortSignal },
): Promise<Permanent | undefined> {
  const kind = KINDS[command.resource as keyof typeof KINDS] ?? 'Server';
  const state = stateOf(command.resource, res);
  const first = ((res.versions ?? []) as Decoded[])[0];
  const reason = String((first?.state as Decoded | undefined)?.reason ?? '');
  const what = `${command.resource}/${command.name ?? ''}`;
  if (isPermanent(permanent, kind, state, command.wait)) return { what, state, reason };
  if (command.resource !== 'pipeline' || command.wait !== 'PipelineReady' || state === undefined) return undefined;
  for (const step of ((first?.pipeline as Decoded | undefined)?.steps ?? []) as Decoded[]) {
    const name = String(step.name ?? '');
    let model: Decoded | undefined;
    try {
      [model] = await grpc.stream(STATUS.model, statusRequest('model', name), call);
    } catch {
      continue; // Not loaded (yet): it may still come.
    }
    const modelState = model ? stateOf('model', model) : undefined;
    if (model && isPermanent(permanent, 'Model', modelState)) {
      const modelReason = String(((((model.versions ?? []) as Decoded[])[0]?.state as Decoded | undefined)?.reason ?? ''));
      return { what, state, reason, cause: { what: `model/${name}`, state: modelState, reason: modelReason } };
    }
  }
  return undefined;
}

async function list(grpc: GrpcChannel, resource: SeldonResource, call: { deadline: number; signal: AbortSignal }): Promise<string> {
  const answers = await grpc.stream(STATUS[resource], statusRequest(resource), call);
  const latest = (res: Decoded) => (((res.versions ?? []) as Decoded[]).at(-1)?.state ?? {}) as Decoded;
  let text: string;
  switch (resource) {
    case 'model':
      text = 'model\tstate\treason\n-----\t-----\t------\n';
      for (const res of answers) {
        const state = MODEL_STATES[Number(latest(res).state ?? 0)];
        if (state !== 'ModelTerminated') text += `${String(res.modelName)}\t${state}\t${String(latest(res).reason ?? '')}\n`;
      }
      break;
    case 'pipeline':
      text = 'pipeline\tstate\treason\n--------\t-----\t------\n';
      for (const res of answers) text += `${String(res.pipelineName)}\t${PIPELINE_STATES[Number(latest(res).status ?? 0)]}\t${String(latest(res).reason ?? '')}\n`;
      break;
    case 'server':
      text = 'server\treplicas\tmodels\n------\t--------\t------\n';
      for (const res of answers) text += `${String(res.serverName)}\t${Number(res.availableReplicas ?? 0)}\t${Number(res.numLoadedModelReplicas ?? 0)}\n`;
      break;
    case 'experiment':
      text = 'experiment\tactive\t\n----------\t------\t\n';
      for (const res of answers) text += `${String(res.experimentName)}\t${res.active === true}\n`;
      break;
  }
  return tabwrite(text);
}
