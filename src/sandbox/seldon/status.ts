/**
 * The status Seldon's operator writes on its custom resources from the scheduler's reports: Knative-style
 * conditions (each kind's own, and `Ready` over them), replicas, observed generation. As there, a condition's
 * reason is the scheduler's reason text and its message the state's name.
 */
import type { ExperimentStatusRecord, ModelStatusRecord, PipelineStatusRecord, ServerStatusRecord } from '../scheduler/types.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime: string;
}

type Wanted = Omit<Condition, 'lastTransitionTime'>;

/** Conditions with `Ready` last: True when all are, else the first one that is not, with its reason and message. */
export function withReady(conditions: Wanted[]): Wanted[] {
  const failing = conditions.find((c) => c.status !== 'True');
  const ready: Wanted = failing
    ? { type: 'Ready', status: failing.status, ...(failing.reason ? { reason: failing.reason } : {}), ...(failing.message ? { message: failing.message } : {}) }
    : { type: 'Ready', status: 'True' };
  return [...conditions, ready];
}

/** Stamps transition times: a condition keeps its time while its status stays, as Knative's condition manager does. */
export function stamped(wanted: Wanted[], previous: unknown, now: string): Condition[] {
  const before = new Map(((Array.isArray(previous) ? previous : []) as Condition[]).map((c) => [c.type, c]));
  return wanted.map((c) => {
    const old = before.get(c.type);
    return { ...c, lastTransitionTime: old?.status === c.status ? old.lastTransitionTime : now };
  });
}

function condition(type: string, ok: boolean, reason: string, message: string): Wanted {
  return { type, status: ok ? 'True' : 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

export function modelStatus(record: ModelStatusRecord): { conditions: Wanted[]; fields: Record<string, unknown> } {
  const latest = record.versions.at(-1);
  const ok = latest?.state === 'ModelAvailable';
  return {
    conditions: withReady([condition('ModelReady', ok, latest?.reason ?? '', latest?.state ?? 'ModelStateUnknown')]),
    fields: {
      replicas: latest?.definition.replicas ?? 0,
      availableReplicas: latest?.availableReplicas ?? 0,
      ...(latest?.serverName ? { selector: `seldon-server-name=${latest.serverName}` } : {}),
    },
  };
}

export function pipelineStatus(record: PipelineStatusRecord): Wanted[] {
  const latest = record.versions.at(-1);
  const state = latest?.state ?? 'PipelineStatusUnknown';
  return withReady([
    condition('ModelsReady', latest?.modelsReady ?? false, latest?.modelsReady ? '' : 'ModelsNotReady', latest?.modelsReady ? '' : (latest?.reason ?? '')),
    condition('PipelineReady', state === 'PipelineReady', latest?.reason ?? '', state),
  ]);
}

export function experimentStatus(record: ExperimentStatusRecord): Wanted[] {
  return withReady([
    condition('CandidatesReady', record.candidatesReady, record.candidatesReady ? '' : 'CandidatesNotReady', record.candidatesReady ? '' : record.statusDescription),
    condition('MirrorReady', record.mirrorReady, record.mirrorReady ? '' : 'MirrorNotReady', record.mirrorReady ? '' : record.statusDescription),
    condition('ExperimentReady', record.active, record.statusDescription, record.active ? 'ExperimentActive' : 'ExperimentNotActive'),
  ]);
}

export function serverStatus(record: ServerStatusRecord): { conditions: Wanted[]; fields: Record<string, unknown> } {
  const replicas = record.definition.replicas;
  return {
    conditions: withReady([condition('StatefulSetReady', true, '', 'StatefulSet replicas matches desired replicas'), condition('ServerReady', true, '', '')]),
    fields: {
      replicas,
      availableReplicas: replicas,
      loadedModels: record.loaded.reduce((n, m) => n + m.size, 0),
      selector: `seldon-server-name=${record.definition.name}`,
    },
  };
}
