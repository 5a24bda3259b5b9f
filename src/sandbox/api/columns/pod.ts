/**
 * The Pod printer of printers.go: READY counts ready containers, STATUS is the pod's reason as kubectl users know
 * it (Running, Completed, CrashLoopBackOff, Init:0/1, Terminating), RESTARTS says when the last one was.
 */
import type { KubeObject } from '../../types.js';
import type { Printer } from './printer.js';
import { AGE, NAME, age, column, field, since } from './printer.js';

interface ContainerState {
  waiting?: { reason?: string };
  running?: unknown;
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

type InitContainer = { name?: string; restartPolicy?: string };

function list<T>(value: unknown): T[] {
  return (Array.isArray(value) ? value : []) as T[];
}

/** The later of two RFC 3339 times ('' when neither is set). */
function later(a: string, b: string | undefined): string {
  return b && (a === '' || Date.parse(b) > Date.parse(a)) ? b : a;
}

function status(pod: KubeObject, now: number): { ready: string; reason: string; restarts: string } {
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  const inits = list<InitContainer>(spec.initContainers);
  const sidecar = (name: string | undefined) => inits.some((c) => c.name === name && c.restartPolicy === 'Always');
  const total = list(spec.containers).length + inits.filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = '';
  let lastSidecarRestart = '';
  let reason = String(st.reason ?? st.phase ?? '');
  const conditions = list<{ type?: string; status?: string; reason?: string }>(st.conditions);
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = list<ContainerStatus>(st.initContainerStatuses);
  for (const [i, c] of initStatuses.entries()) {
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
    if (sidecar(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, c.lastState?.terminated?.finishedAt);
    }
    const terminated = c.state?.terminated;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason ? `Init:${terminated.reason}` : terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${inits.length}`;
    }
    initializing = true;
    break;
  }

  const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let running = false;
    // printers.go walks the statuses from the last one, so the first container's reason wins.
    for (const c of list<ContainerStatus>(st.containerStatuses).reverse()) {
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
      const { waiting, terminated } = c.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      else if (c.ready && c.state?.running !== undefined) {
        running = true;
        ready++;
      }
    }
    if (reason === 'Completed' && running) reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  }

  const terminal = st.phase === 'Succeeded' || st.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';
  const restartText = restarts !== 0 && lastRestart !== '' ? `${restarts} (${since(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, reason, restarts: restartText };
}

function readinessGates(pod: KubeObject): string {
  const gates = list<{ conditionType?: string }>(pod.spec?.readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = list<{ type?: string; status?: string }>(pod.status?.conditions);
  const met = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${met}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: [
    NAME,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    column('IP', 'string', 'podIP address allocated to the pod.', 1),
    column('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', 1),
    column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
    column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  cells: (pod, now) => {
    const { ready, reason, restarts } = status(pod, now);
    const ips = list<{ ip?: string }>(field(pod, 'status', 'podIPs'));
    return [
      pod.metadata.name,
      ready,
      reason,
      restarts,
      age(pod, now),
      ips[0]?.ip || '<none>',
      String(field(pod, 'spec', 'nodeName') ?? '') || '<none>',
      String(field(pod, 'status', 'nominatedNodeName') ?? '') || '<none>',
      readinessGates(pod),
    ];
  },
};
