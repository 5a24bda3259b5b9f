/**
 * `kubectl wait --for` checks: condition (type and status compared whole and case-insensitively, stale
 * observedGeneration not counted), jsonpath, delete; and the describe-like lines reported when a wait times out.
 */
import type { WaitFor } from '../core/model.js';
import { findJsonPath, printValue } from '../core/jsonpath.js';
import type { KubeObj } from './watch.js';

type Condition = { type?: unknown; status?: unknown; reason?: unknown; message?: unknown; observedGeneration?: unknown; lastTransitionTime?: unknown };

/** True when `object` meets the condition; the first condition of the named type decides, as in kubectl. */
export function conditionMet(object: KubeObj, name: string, value: string): boolean {
  const status = object.status as { conditions?: unknown; observedGeneration?: unknown } | undefined;
  if (!Array.isArray(status?.conditions)) return false;
  for (const raw of status.conditions as Condition[]) {
    if (typeof raw?.type !== 'string' || raw.type.toLowerCase() !== name.toLowerCase()) continue;
    if (typeof raw.status !== 'string') continue;
    const generation = object.metadata?.generation;
    if (typeof generation === 'number') {
      const observed = typeof raw.observedGeneration === 'number' ? raw.observedGeneration : status.observedGeneration;
      if (typeof observed === 'number' && observed < generation) return false;
    }
    return raw.status.toLowerCase() === value.toLowerCase();
  }
  return false;
}

/** kubectl's relaxed form: `.status.phase` and `status.phase` both become `{.status.phase}`. */
export function relaxedJsonPath(path: string): string {
  const trimmed = path.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) return trimmed;
  const inner = trimmed.startsWith('.') ? trimmed : `.${trimmed}`;
  return `{${inner}}`;
}

/** The jsonpath wait: present (no value) or, for one scalar result, equal after trimming spaces. */
export function jsonPathMet(object: KubeObj, path: string, value: string | undefined): boolean {
  const results = findJsonPath(relaxedJsonPath(path), object);
  if (results.length === 0) return false;
  if (value === undefined) return true;
  if (results.length > 1) throw new Error('error: given jsonpath expression matches more than one value');
  const [first] = results;
  if (typeof first === 'object' && first !== null) throw new Error('error: jsonpath leads to a nested object or list which is not supported');
  return printValue(first).trim() === value.trim();
}

/** Whether `object` (undefined = absent) satisfies `--for`. */
export function waitMet(object: KubeObj | undefined, waitFor: WaitFor): boolean {
  if (waitFor.type === 'delete') return object === undefined;
  if (!object) return false;
  return waitFor.type === 'condition' ? conditionMet(object, waitFor.condition, waitFor.value) : jsonPathMet(object, waitFor.path, waitFor.value);
}

/** `Conditions:` lines of an object, as `kubectl describe` shows them. */
export function describeConditions(object: KubeObj | undefined): string[] {
  if (!object) return ['  (object not found)'];
  const status = object.status as { conditions?: unknown } | undefined;
  if (!Array.isArray(status?.conditions) || status.conditions.length === 0) return ['  Conditions: none'];
  return [
    '  Conditions:',
    ...(status.conditions as Condition[]).map((c) => {
      const detail = [c.reason, c.message].filter((x) => typeof x === 'string' && x).join(': ');
      return `    ${String(c.type)}=${String(c.status)}${detail ? ` (${detail})` : ''}`;
    }),
  ];
}

interface EventJson {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string; uid?: string };
}

/** `Events:` lines (type, reason, message) of the events about one object, oldest first. */
export function describeEvents(events: EventJson[]): string[] {
  if (events.length === 0) return ['  Events: none'];
  return ['  Events:', ...events.map((e) => `    ${e.type ?? 'Normal'}  ${e.reason ?? ''}  ${e.message ?? ''}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`)];
}

export function eventsAbout(events: EventJson[], kind: string, name: string): EventJson[] {
  return events
    .filter((e) => e.involvedObject?.name === name && (!e.involvedObject.kind || e.involvedObject.kind === kind))
    .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')))
    .slice(-10);
}

export { printValue };
