/**
 * Pipelines fed by other pipelines (`spec.input.externalInputs` / `externalTriggers`): Seldon joins the other
 * pipelines' topics by request id, so a run of `tfsimple` also starts `tfsimple-extended` with the same key.
 * Partial joins wait per request id, a bounded number of them.
 */
import type { JoinType } from '../../types.js';
import type { Tensor } from '../tensor.js';
import type { RunEvent } from './dataflow.js';
import { joinRefs } from './dataflow.js';
import type { LoadedPipeline } from './pipeline-registry.js';
import { externalKey, parseExternal, type ExternalRef } from './references.js';

/** Partial joins kept per pipeline; the oldest goes first. */
const MAX_PENDING = 256;

interface Pending {
  arrived: Map<string, { tensors: Tensor[]; seq: number }>;
  /** The route of the latest run that fed this join. */
  route: readonly string[];
  timer?: NodeJS.Timeout;
}

export interface Chaining {
  /** Offers what pipeline `source` produced for request `key` (having gone through `route`) to every pipeline that reads it. */
  publish(namespace: string, source: string, key: string, events: readonly RunEvent[], route: readonly string[]): void;
  close(): void;
}

/** `start` runs a pipeline on joined inputs (its own events come back through `publish`). */
export function createChaining(
  pipelines: () => LoadedPipeline[],
  start: (pipeline: LoadedPipeline, inputs: Tensor[], key: string, route: readonly string[]) => void,
): Chaining {
  const pending = new Map<string, Map<string, Pending>>();
  let seq = 0;

  const refsOf = (texts: string[] | undefined): ExternalRef[] => (texts ?? []).flatMap((t) => parseExternal(t) ?? []);
  const matches = (ref: ExternalRef, source: string, event: RunEvent): Tensor[] | undefined => {
    if (ref.pipeline !== source || ref.step !== event.step || ref.side !== event.side) return undefined;
    if (ref.tensor === undefined) return event.tensors;
    const tensor = event.tensors.find((t) => t.name === ref.tensor);
    return tensor ? [tensor] : undefined;
  };

  function tryFire(target: LoadedPipeline, key: string, entry: Pending, final: boolean): void {
    const input = target.spec.input ?? {};
    const inputs = refsOf(input.externalInputs);
    const triggers = refsOf(input.externalTriggers);
    const present = (ref: ExternalRef) => {
      const got = entry.arrived.get(ref.text);
      return got ? { ref, tensors: got.tensors, seq: got.seq } : undefined;
    };
    // An outer join waits for the rest until its window closes.
    const joinType: JoinType = input.joinType ?? 'inner';
    const complete = joinType !== 'outer' || final || inputs.every((r) => entry.arrived.has(r.text));
    const joined = inputs.length > 0 ? joinRefs(inputs, joinType, present) : [];
    const triggered = triggers.length === 0 || joinRefs(triggers, input.triggersJoinType ?? 'inner', present) !== undefined;
    if (!joined || !triggered || !complete) return;
    const table = pending.get(`${target.namespace}/${target.name}`);
    clearTimeout(entry.timer);
    table?.delete(key);
    const tensors = joined.flatMap(({ ref, tensors: ts }) => ts.map((t) => ({ ...t, name: input.tensorMap?.[externalKey(ref, t.name)] ?? t.name })));
    // Off the caller's path: Seldon runs the other pipeline from the topics, after the answer.
    setImmediate(() => start(target, tensors, key, entry.route));
  }

  return {
    publish(namespace, source, key, events, route) {
      for (const target of pipelines()) {
        if (target.namespace !== namespace || target.name === source || !target.spec.input) continue;
        const refs = [...refsOf(target.spec.input.externalInputs), ...refsOf(target.spec.input.externalTriggers)];
        const hits = refs.flatMap((ref) => events.flatMap((event) => {
          const tensors = matches(ref, source, event);
          return tensors ? [{ ref, tensors }] : [];
        }));
        if (hits.length === 0) continue;
        const tableKey = `${namespace}/${target.name}`;
        let table = pending.get(tableKey);
        if (!table) pending.set(tableKey, (table = new Map()));
        let entry = table.get(key);
        if (!entry) {
          entry = { arrived: new Map(), route };
          table.set(key, entry);
          if (table.size > MAX_PENDING) {
            const [oldestKey, oldest] = table.entries().next().value as [string, Pending];
            clearTimeout(oldest.timer);
            table.delete(oldestKey);
          }
        }
        for (const { ref, tensors } of hits) entry.arrived.set(ref.text, { tensors, seq: ++seq });
        entry.route = route;
        const ready = entry;
        if (target.spec.input.joinType === 'outer' && !ready.timer) {
          ready.timer = setTimeout(() => tryFire(target, key, ready, true), target.spec.input.joinWindowMs ?? 0);
          ready.timer.unref();
        }
        tryFire(target, key, ready, false);
      }
    },
    close() {
      for (const table of pending.values()) for (const entry of table.values()) clearTimeout(entry.timer);
      pending.clear();
    },
  };
}
