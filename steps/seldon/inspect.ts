/**
 * `seldon pipeline inspect EXPR`: the last messages of a pipeline's topics, one `TOPIC\tREQUEST_ID\tJSON` line each
 * (or `--format json`). The topics a pipeline has come from its status (its steps); the messages, in the sandbox,
 * from its Topics service (runbooks/apis/runbook/sandbox/topics.proto), where a real cluster keeps them in Kafka.
 */
import type { SeldonArgs, SeldonCommand } from '../../src/core/model.js';
import type { StepContext } from '../../src/core/step.js';
import { GrpcChannel } from '../../src/net/seldon/grpc-call.js';
import { goCompact, type Json } from '../../src/net/seldon/protojson.js';
import { SELDON_EXTENSION } from '../../src/core/kubeconfig-extension.js';
import { resolveAddress } from './addresses.js';
import { CliError, type Printed } from './printed.js';

type InspectCommand = Extract<SeldonCommand, { verb: 'inspect' }>;
type Decoded = Record<string, unknown>;

interface Selection {
  topics: string[];
  tensor?: string;
}

/** The topics an expression names (`p`, `p.inputs`, `p.step`, `p.step.outputs`, `p.step.outputs.TENSOR`). */
export function selectTopics(expression: string, steps: readonly string[], namespace: string): Selection {
  const [pipeline, second, third, tensor, ...extra] = expression.split('.');
  const topic = (kind: 'model' | 'pipeline', name: string, io: string) => `seldon.${namespace}.${kind}.${name}.${io}`;
  if (second === undefined) {
    return { topics: [...steps.flatMap((s) => [topic('model', s, 'inputs'), topic('model', s, 'outputs')]), topic('pipeline', pipeline!, 'inputs'), topic('pipeline', pipeline!, 'outputs')] };
  }
  if (extra.length > 0) throw new CliError(`Bad pipeline specifier ${expression}`);
  if (third === undefined && (second === 'inputs' || second === 'outputs')) return { topics: [topic('pipeline', pipeline!, second)] };
  if (!steps.includes(second)) throw new CliError(`Failed to find step with name ${second} in pipeline ${pipeline}`);
  if (third === undefined) return { topics: [topic('model', second, 'inputs'), topic('model', second, 'outputs')] };
  if (third !== 'inputs' && third !== 'outputs') throw new CliError('Need to specify either inputs or outputs for a step');
  return tensor === undefined ? { topics: [topic('model', second, third)] } : { topics: [topic('model', second, third)], tensor };
}

/** One tensor of a message's `inputs` or `outputs`, re-printed on one line; the whole message otherwise. */
function shown(json: string, tensor: string | undefined): string[] {
  if (tensor === undefined) return [json];
  try {
    const message = JSON.parse(json) as { inputs?: { name?: string }[]; outputs?: { name?: string }[] };
    return [...(message.inputs ?? []), ...(message.outputs ?? [])].filter((t) => t.name === tensor).map((t) => goCompact(t as Json));
  } catch {
    return [json];
  }
}

export async function runInspect(command: InspectCommand, args: SeldonArgs, ctx: StepContext): Promise<Printed> {
  const scheduler = await resolveAddress('scheduler', args, ctx);
  const kafka = await resolveAddress('kafka', args, ctx);
  if (!kafka.source.includes(SELDON_EXTENSION) && kafka.address !== scheduler.address) {
    throw new CliError(`pipeline inspect against Kafka (${kafka.address} from ${kafka.source}) is not supported yet: it needs a Kafka client; the runbook sandbox serves its topics itself`);
  }
  const pipelineName = command.expression.split('.')[0]!;
  const sched = await GrpcChannel.open('scheduler', 'seldon.mlops.scheduler.Scheduler', `${scheduler.ip}:${scheduler.port}`, scheduler.address, args.hosts.authority, scheduler.source);
  const topicsChannel = await GrpcChannel.open('topics', 'runbook.sandbox.v1.Topics', `${kafka.ip}:${kafka.port}`, kafka.address, args.hosts.authority, kafka.source);
  try {
    const call = { deadline: ctx.deadline, signal: ctx.signal };
    const [status] = await sched.stream('PipelineStatus', { subscriberName: 'seldon CLI', name: pipelineName }, call);
    const version = ((status?.versions ?? []) as Decoded[]).at(-1)?.pipeline as Decoded | undefined;
    if (!version) throw new CliError(`Failed to find pipeline ${pipelineName}`);
    const steps = ((version.steps ?? []) as Decoded[]).map((s) => String(s.name));
    const namespace = command.namespace ?? (((version.kubernetesMeta as Decoded | undefined)?.namespace as string | undefined) || 'default');
    const selection = selectTopics(command.expression, steps, namespace);
    // Every retained message (an explicit limit: the sandbox reads 0 as none), the last `offset` per topic picked below.
    const read = await topicsChannel.unary('Read', { namespace, topicPrefix: `seldon.${namespace}.`, offset: 0, limit: 0x7fffffff }, call);
    const messages = ((read.response.messages ?? []) as Decoded[]).map((m) => ({
      topic: String(m.topic),
      key: String(m.key),
      json: String(m.json),
      // `--verbose`: the Kafka headers after the message, each `name=[v1 v2]` after a tab.
      headers: ((m.headers ?? []) as Decoded[]).map((h) => `${String(h.name)}=[${((h.values ?? []) as unknown[]).map(String).join(' ')}]`),
    }));
    const perTopic = selection.topics.map((topic) => {
      const all = messages.filter((m) => m.topic === topic && (command.requestId === undefined || m.key === command.requestId));
      return { topic, msgs: command.offset > 0 ? all.slice(-command.offset) : all };
    });
    if (command.format === 'json') {
      const topics = perTopic.map(({ topic, msgs }) => ({ name: topic, msgs: msgs.flatMap((m) => shown(m.json, selection.tensor).map((value) => ({ key: m.key, value: JSON.parse(value) as Json }))) }));
      return { stdout: goCompact({ topics }).replace(/, /g, ',') + '\n' };
    }
    let stdout = '';
    for (const { topic, msgs } of perTopic) {
      for (const m of msgs) {
        const verbose = command.verbose ? `\t${m.headers.map((h) => `\t${h}`).join('')}` : '';
        for (const line of shown(m.json, selection.tensor)) stdout += `${topic}\t${m.key}\t${line}${verbose}\n`;
      }
    }
    return { stdout };
  } finally {
    sched.close();
    topicsChannel.close();
  }
}
