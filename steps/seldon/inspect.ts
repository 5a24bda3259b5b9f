/**
 * `seldon pipeline inspect EXPR`: the last messages of a pipeline's topics, one `TOPIC\tREQUEST_ID\tJSON` line each
 * (or `--format json`). The topics a pipeline has come from its status (its steps) on the scheduler; the messages
 * from the Kafka broker, the sandbox's as a real cluster's (steps/seldon/kafka-tail.ts), keeping those whose
 * `pipeline` header names the pipeline (model topics are shared by every pipeline that uses the model).
 */
import type { SeldonArgs, SeldonCommand } from '../../src/core/model.js';
import type { StepContext } from '../../src/core/step.js';
import { GrpcChannel } from '../../src/net/seldon/grpc-call.js';
import { mapTarget } from '../../src/net/connect-to.js';
import { resolveHost } from '../../src/net/resolve-host.js';
import { kubeconfigExtension, resolveAddress } from './addresses.js';
import { jsonAnswer, pipelineOf, shownMessage, textLines, type ShownTopic } from './inspect-print.js';
import { loadKafka, readTails } from './kafka-tail.js';
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

/**
 * The namespace in the topic names: `--namespace`, else the one the install names its topics with (the CLI reads it
 * from its config file; the sandbox publishes it in the kubeconfig), else `default`, as the CLI's KafkaClient picks it.
 * Never the pipeline's own metadata: a scheduler names every topic after its namespace (TopicNamer).
 */
function topicNamespace(command: InspectCommand, ctx: StepContext): string {
  return command.namespace || kubeconfigExtension(ctx)?.kafkaNamespace || 'default';
}

/** `--offset 0` (or less) reads every message the topics keep. */
const ALL = 1_000_000;

export async function runInspect(command: InspectCommand, args: SeldonArgs, ctx: StepContext): Promise<Printed> {
  const scheduler = await resolveAddress('scheduler', args, ctx);
  const kafka = await resolveAddress('kafka', args, ctx);
  const pipelineName = command.expression.split('.')[0]!;
  // The Kafka client loads while the scheduler answers (a failed load is reported by readTails).
  loadKafka().catch(() => undefined);
  const sched = await GrpcChannel.open('scheduler', 'seldon.mlops.scheduler.Scheduler', `${scheduler.ip}:${scheduler.port}`, scheduler.address, args.hosts.authority, scheduler.source);
  let selection: Selection;
  let namespace: string;
  try {
    const [status] = await sched.stream('PipelineStatus', { subscriberName: 'seldon CLI', name: pipelineName }, { deadline: ctx.deadline, signal: ctx.signal });
    const version = ((status?.versions ?? []) as Decoded[]).at(-1)?.pipeline as Decoded | undefined;
    if (!version) throw new CliError(`Failed to find pipeline ${pipelineName}`);
    const steps = ((version.steps ?? []) as Decoded[]).map((s) => String(s.name));
    namespace = topicNamespace(command, ctx);
    selection = selectTopics(command.expression, steps, namespace);
  } finally {
    sched.close();
  }
  const tails = await readTails({
    bootstrap: { address: kafka.address, source: kafka.source, host: kafka.ip, port: kafka.port },
    // A broker Metadata advertises is dialled through the same mapping as the bootstrap address.
    dial: async (host, port) => {
      const mapped = mapTarget(host, port, ctx.connectTo);
      return { host: (await resolveHost(mapped.host)) ?? mapped.host, port: mapped.port };
    },
    topics: selection.topics,
    count: command.offset > 0 ? command.offset : ALL,
    deadline: ctx.deadline,
    signal: ctx.signal,
  });
  const shown: ShownTopic[] = selection.topics.map((name) => ({
    name,
    msgs: (tails.get(name) ?? []).flatMap((record) => {
      const pipeline = pipelineOf(record);
      if (pipeline === undefined) throw new CliError('No pipeline found in headers.');
      const key = record.key?.toString('utf8') ?? '';
      if (pipeline !== pipelineName || (command.requestId !== undefined && key !== command.requestId)) return [];
      return [shownMessage(record, selection.tensor)];
    }),
  }));
  return { stdout: command.format === 'json' ? jsonAnswer(shown, command.verbose) : textLines(shown, command.verbose) };
}
