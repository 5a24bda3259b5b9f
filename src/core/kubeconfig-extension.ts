/**
 * Kubeconfig cluster extensions in which a sandbox publishes what steps need to reach it. The sandbox writes them;
 * the client reads them.
 */

/**
 * The address mapping (curl's `--connect-to`, `HOST:PORT:CONNECT_HOST:CONNECT_PORT`), so that steps reach the
 * sandbox's ingress, Seldon mesh and scheduler at the addresses a runbook recorded.
 */
export const CONNECT_TO_EXTENSION = 'runbook.dev/connect-to';

/**
 * Where Seldon Core 2 answers, as a runbook writes the addresses (the LoadBalancer IPs of the `seldon-scheduler` and
 * `seldon-mesh` Services); the `seldon` step dials them through the connect-to mapping.
 */
export const SELDON_EXTENSION = 'runbook.dev/seldon';

/** The shape of the `runbook.dev/seldon` extension. */
export interface SeldonExtension {
  /** The scheduler's gRPC API (`seldon.mlops.scheduler.Scheduler`), e.g. `172.21.255.3:9004`. */
  schedulerHost: string;
  /** The inference endpoint (`seldon-mesh` Service, REST and gRPC), e.g. `172.21.255.2:80`. */
  inferenceHost: string;
  /** Seldon's Kafka broker, where `pipeline inspect` reads the pipeline topics, e.g. `172.21.255.4:9092`. */
  kafkaBroker?: string;
  /**
   * The namespace in the install's topic names (`seldon.NS.model.M.inputs`): one per scheduler, as the CLI's config
   * file gives it (`kafka.namespace`); `pipeline inspect` uses it when no `--namespace` is given.
   */
  kafkaNamespace?: string;
  /**
   * Written by the sandbox only: per kind (`Model`), the states its scheduler never leaves by itself, as the
   * scheduler's status API names them and as the operator writes them in a resource's ready condition's message.
   * Only re-applying (or deleting) the resource changes them, so a wait for readiness that finds one can end at once
   * rather than at its timeout. Absent: every state may still change, as in a real cluster.
   */
  permanentStates?: Readonly<Record<string, readonly string[]>>;
}

/** Narrows an extension read from YAML to `SeldonExtension`; undefined when the required addresses are missing. */
export function asSeldonExtension(value: unknown): SeldonExtension | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const { schedulerHost, inferenceHost, kafkaBroker, kafkaNamespace } = record;
  if (typeof schedulerHost !== 'string' || typeof inferenceHost !== 'string') return undefined;
  const permanentStates = asStateTable(record.permanentStates);
  return {
    schedulerHost,
    inferenceHost,
    ...(typeof kafkaBroker === 'string' ? { kafkaBroker } : {}),
    ...(typeof kafkaNamespace === 'string' ? { kafkaNamespace } : {}),
    ...(permanentStates ? { permanentStates } : {}),
  };
}

/** `{Kind: [state, …]}` with string states only; undefined for anything else. */
function asStateTable(value: unknown): Record<string, string[]> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const table: Record<string, string[]> = {};
  for (const [kind, states] of Object.entries(value)) {
    if (Array.isArray(states)) table[kind] = states.filter((s): s is string => typeof s === 'string');
  }
  return table;
}
