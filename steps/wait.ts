/**
 * The wait step: `kubectl wait --for=…` natively and watch-based. Every selected object is watched at once and
 * reported in kubectl's order (`… condition met`); the first one that fails ends the step with kubectl's message.
 * On a timeout the report gets each pending object's conditions and recent Events. On the embedded sandbox, an
 * object in a state the sandbox never leaves by itself (steps/seldon/permanent.ts) ends the wait at once, with a
 * runbook diagnostic rather than kubectl's timeout message.
 */
import { kubeTarget, type KubeTarget } from '../src/kube/access.js';
import { describeConditions, describeEvents, eventsAbout, waitMet } from '../src/kube/conditions.js';
import { collectionPath, kindSlashName, objectPath } from '../src/kube/discovery.js';
import { ApiError } from '../src/core/api-status.js';
import { formatErrors } from '../src/kube/errors.js';
import { resolveInfos } from '../src/kube/infos.js';
import { loadManifests } from '../src/kube/manifests.js';
import { selectObjects, type Selected, type Selection } from '../src/kube/select.js';
import { untilObject, type KubeObj } from '../src/kube/watch.js';
import type { WaitArgs } from '../src/core/model.js';
import type { StepContext, StepOutput, StepRunner } from '../src/core/step.js';
import type { Permanent, PermanentStates } from './seldon/permanent.js';
import { permanentState, sandboxStates, stopped, stuckStepModel } from './wait-permanent.js';
import { withVars } from './substitute.js';

type Outcome = { met: true } | { met: false; error: unknown; timedOut: boolean } | { met: false; permanent: Permanent };

export const wait: StepRunner<'wait'> = {
  async run(rawArgs, ctx) {
    const args = withVars.wait(rawArgs, ctx.vars);
    let stdout = '';
    const target = await kubeTarget(args, ctx);
    const isDelete = args.for.type === 'delete';
    const fail = (errors: unknown[], extra: Partial<StepOutput> = {}): StepOutput => {
      const stderr = formatErrors(errors);
      ctx.write('stderr', stderr);
      return { stdout, stderr, exitCode: 1, ...extra };
    };

    let selections: Selection[];
    try {
      selections = await select(args, target, ctx);
    } catch (error) {
      return fail([error]);
    }
    // kubectl visits every object in order and collects errors (NotFound is ignored for --for=delete); all
    // objects share one deadline, so once one has timed out, every later one is reported as timed out too.
    const entries = selections.filter((s) => !('error' in s && isDelete && s.error instanceof ApiError && s.error.code === 404));
    const chosen = entries.flatMap((s) => ('ok' in s ? [s.ok] : []));
    if (entries.length === 0) {
      return isDelete ? { stdout, stderr: '', exitCode: 0, data: { type: 'wait', met: [], pending: [] } } : fail([new Error('error: no matching resources found')]);
    }

    // Ended as soon as one object is in a state it will never leave: the wait as a whole cannot succeed.
    const halt = new AbortController();
    const signals = [ctx.signal, halt.signal];
    // --timeout=0 means "look once", not "give up at once".
    if (args.timeoutMs > 0) signals.push(AbortSignal.timeout(Math.max(0, Math.min(args.timeoutMs, ctx.deadline - Date.now()))));
    const signal = AbortSignal.any(signals);
    const last = new Map<Selected, KubeObj | undefined>();
    // Each new state of an object the wait is still waiting for is said as progress (the live UI shows it).
    const said = new Map<Selected, string>();
    const observed = (s: Selected, object: KubeObj | undefined) => {
      last.set(s, object);
      const reason = reasonOf(object);
      if (reason === NO_FALSE_CONDITION || said.get(s) === reason) return;
      said.set(s, reason);
      ctx.progress?.(`waiting for ${kindSlashName(s.mapping, s.name)}: ${reason}`);
    };
    // Every object is watched at once; the outcomes are reported in order below.
    const permanent = args.for.type === 'delete' ? undefined : sandboxStates(args, target, ctx);
    const watching = entries.map((e) => {
      if (!('ok' in e)) return e;
      const outcome = waitOne(e.ok, args, target, signal, args.timeoutMs === 0, (o) => observed(e.ok, o), permanent);
      // The rejection (the run aborted) is the loop's to handle below.
      outcome.then((o) => 'permanent' in o && halt.abort(), () => undefined);
      return { ok: e.ok, outcome };
    });

    const met: string[] = [];
    const errors: unknown[] = [];
    const timedOut: Selected[] = [];
    for (const entry of watching) {
      if ('error' in entry) {
        errors.push(entry.error);
        continue;
      }
      const s = entry.ok;
      const outcome = timedOut.length > 0 ? timedOutOutcome(s) : await entry.outcome;
      if (outcome.met) {
        const line = `${kindSlashName(s.mapping, s.name)} condition met\n`;
        stdout += line;
        ctx.write('stdout', line);
        met.push(kindSlashName(s.mapping, s.name));
        continue;
      }
      if (ctx.signal.aborted) throw ctx.signal.reason;
      // kubectl would still be waiting here: say nothing for this object or any after it.
      if ('permanent' in outcome) halt.abort();
      if (halt.signal.aborted) break;
      if (!('error' in outcome)) continue;
      errors.push(outcome.error);
      if (outcome.timedOut) timedOut.push(s);
    }
    if (halt.signal.aborted) return stopped(await permanentOutcomes(watching), stdout, met, args, ctx);
    if (errors.length === 0) return { stdout, stderr: '', exitCode: 0, data: { type: 'wait', met, pending: [] } };
    const pending = chosen.filter((s) => !met.includes(kindSlashName(s.mapping, s.name)));
    const diagnostics = timedOut.length > 0 ? await diagnose(timedOut, last, target) : undefined;
    return fail(errors, {
      data: { type: 'wait', met, pending: pending.map((p) => ({ object: `${p.mapping.resource}/${p.name}`, reason: reasonOf(last.get(p)) })) },
      ...(diagnostics ? { diagnostics } : {}),
    });
  },
};

/** The objects found in a permanent state, in kubectl's order (every watch has ended by now). */
async function permanentOutcomes(watching: ({ ok: Selected; outcome: Promise<Outcome> } | { error: unknown })[]): Promise<Permanent[]> {
  const found: Permanent[] = [];
  for (const entry of watching) {
    const outcome = 'ok' in entry ? await entry.outcome : undefined;
    if (outcome && 'permanent' in outcome) found.push(outcome.permanent);
  }
  return found;
}

function timedOutOutcome(s: Selected): Outcome {
  return { met: false, timedOut: true, error: new Error(`error: timed out waiting for the condition on ${s.mapping.resource}/${s.name}`) };
}

async function select(args: WaitArgs, target: KubeTarget, ctx: StepContext): Promise<Selection[]> {
  if (args.source) {
    const loaded = await loadManifests(args.source, ctx);
    const [firstError] = loaded.errors;
    if (firstError) throw firstError;
    const infos = await resolveInfos(loaded.manifests, target, ctx.cache);
    return infos.map((r) => ('error' in r ? { error: r.error } : { ok: { mapping: r.info.mapping, namespace: r.info.namespace, name: r.info.name } }));
  }
  const { resource, names, all, selector, allNamespaces } = args;
  if (names.length === 0 && !all && selector === undefined) throw new Error('error: resource(s) were provided, but no name was specified');
  const spec = { resource, names, all, selector, allNamespaces };
  // Named objects are fetched first, as kubectl's --latest does: a missing one is NotFound (ignored for --for=delete).
  return selectObjects(target, ctx.cache, spec, { fetch: true, signal: ctx.signal });
}

/** Waits for one object; never rejects except when the run itself is aborted. */
async function waitOne(
  s: Selected,
  args: WaitArgs,
  target: KubeTarget,
  signal: AbortSignal,
  once: boolean,
  seen: (o: KubeObj | undefined) => void,
  permanent?: PermanentStates,
): Promise<Outcome> {
  const plural = `${s.mapping.resource}/${s.name}`;
  const timedOut = () => timedOutOutcome(s);
  // The models a Pipeline or Experiment needs are looked at on the side; one that will never load ends the watch.
  const side = new AbortController();
  let stuck: Permanent | undefined;
  try {
    if (once) {
      // --timeout=0: look once, like kubectl.
      const response = await target.client.request('GET', objectPath(s.mapping, s.namespace, s.name), { signal });
      const object = response.status === 404 ? undefined : (JSON.parse(response.text) as KubeObj);
      if (response.status >= 400 && response.status !== 404) throw new ApiError(JSON.parse(response.text));
      seen(object);
      if (args.for.type !== 'delete' && !object) throw new ApiError(JSON.parse(response.text));
      if (waitMet(object, args.for)) return { met: true };
      return args.for.type === 'delete' ? timedOut() : { met: false, timedOut: false, error: new Error(`error: condition not met for ${plural}`) };
    }
    const watching = AbortSignal.any([signal, side.signal]);
    let latest: KubeObj | undefined;
    const probe = permanent && args.for.type !== 'delete' ? stuckStepModel(s, target, permanent, () => latest, watching) : undefined;
    void probe?.then((found) => {
      stuck = found;
      if (found) side.abort();
    });
    return await untilObject<Outcome>(target.client, collectionPath(s.mapping, s.namespace), s.name, {
      signal: watching,
      onObject: (o) => {
        latest = o;
        seen(o);
      },
      check: (object, source) => {
        if (!object && source === 'list' && args.for.type !== 'delete') {
          const gr = s.mapping.group ? `${s.mapping.resource}.${s.mapping.group}` : s.mapping.resource;
          throw new ApiError({ kind: 'Status', code: 404, reason: 'NotFound', message: `${gr} ${JSON.stringify(s.name)} not found` });
        }
        if (waitMet(object, args.for)) return { done: true, value: { met: true } as Outcome };
        const found = permanentState(s, object, permanent);
        return found ? { done: true, value: { met: false, permanent: found } } : { done: false };
      },
    });
  } catch (error) {
    if (stuck) return { met: false, permanent: stuck };
    if (signal.aborted) return timedOut();
    return { met: false, timedOut: false, error };
  } finally {
    side.abort();
  }
}

/** Every condition is True: nothing to say while waiting (the wait is about to end, or waits for something else). */
const NO_FALSE_CONDITION = 'conditions not yet observed';

function reasonOf(object: KubeObj | undefined): string {
  if (!object) return 'not found';
  const conditions = (object.status as { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] } | undefined)?.conditions;
  const falsy = conditions?.find((c) => c.status !== 'True');
  if (!falsy) return conditions?.length ? NO_FALSE_CONDITION : 'no conditions';
  return [`${falsy.type}=${falsy.status}`, falsy.reason, falsy.message].filter(Boolean).join(': ');
}

/** `kubectl describe`-like lines for the objects still pending: conditions, then recent Events. */
async function diagnose(pending: Selected[], last: Map<Selected, KubeObj | undefined>, target: KubeTarget): Promise<string[]> {
  const lines: string[] = [];
  for (const s of pending) {
    lines.push(`${kindSlashName(s.mapping, s.name)}${s.namespace ? ` (namespace ${s.namespace})` : ''}:`);
    lines.push(...describeConditions(last.get(s)));
    try {
      const events = (await target.client.requestOk('GET', s.namespace ? `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/events` : '/api/v1/events', {
        signal: AbortSignal.timeout(2000),
      })) as { items?: Parameters<typeof eventsAbout>[0] };
      lines.push(...describeEvents(eventsAbout(events.items ?? [], s.mapping.kind, s.name)));
    } catch {
      lines.push('  Events: (could not be read)');
    }
  }
  return lines;
}
