/**
 * The delete step: `kubectl delete -f/-k` or `TYPE NAME…` natively. Each object is deleted with background
 * propagation and printed as `<kind>.<group> "<name>" deleted`; then, as kubectl's default `--wait` does, the
 * step watches until every deleted object is gone.
 */
import { kubeTarget, type KubeTarget } from '../src/kube/access.js';
import { collectionPath, kindGroup, objectPath, type ResourceMapping } from '../src/kube/discovery.js';
import { ApiError } from '../src/core/api-status.js';
import { apiErrorFrom, formatErrors, withSource } from '../src/kube/errors.js';
import { resolveInfos } from '../src/kube/infos.js';
import { loadManifests } from '../src/kube/manifests.js';
import { sleep } from '../src/kube/rest.js';
import { selectObjects } from '../src/kube/select.js';
import { untilObject } from '../src/kube/watch.js';
import type { DeleteArgs } from '../src/core/model.js';
import { OutputCollector } from './output.js';
import { withVars } from './substitute.js';
import type { StepContext, StepRunner, TouchedObject } from '../src/core/step.js';

interface Target {
  mapping: ResourceMapping;
  namespace: string;
  name: string;
  /** kubectl's source for error messages: the file, the -k folder, `STDIN`, or '' for names. */
  source: string;
  apiVersion: string;
}

const deleteOptions = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };

export const deleteStep: StepRunner<'delete'> = {
  async run(rawArgs, ctx) {
    const args = withVars.delete(rawArgs, ctx.vars);
    const output = new OutputCollector(ctx);
    const out = (s: string) => output.out(s);
    const kube = await kubeTarget(args, ctx);
    const errors: unknown[] = [];
    const { targets, stderr: buildStderr } = await collect(args, kube, ctx, errors);
    output.err(buildStderr);
    const objects: TouchedObject[] = [];
    const deleted: { target: Target; uid?: string }[] = [];
    for (const target of targets) {
      const touched: TouchedObject = { apiVersion: target.apiVersion, kind: target.mapping.kind, name: target.name, outcome: 'error', ...(target.namespace ? { namespace: target.namespace } : {}) };
      objects.push(touched);
      try {
        const uid = await deleteOne(kube, target, ctx.signal);
        touched.outcome = 'deleted';
        deleted.push({ target, uid });
        out(`${kindGroup(target.mapping)} ${JSON.stringify(target.name)} deleted\n`);
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        if (error instanceof ApiError && error.code === 404 && args.ignoreNotFound) {
          touched.outcome = 'not-found';
          continue;
        }
        if (error instanceof ApiError && error.code === 404) touched.outcome = 'not-found';
        errors.push(error instanceof ApiError ? withSource(error, 'deleting', target.source) : error);
      }
    }
    if (args.target.type === 'names' && (args.target.all || args.target.selector !== undefined) && targets.length === 0 && errors.length === 0) {
      out('No resources found\n');
    }
    if (args.wait && deleted.length > 0) {
      const failure = await waitGone(kube, deleted, ctx);
      if (failure) errors.push(failure);
    }
    if (errors.length > 0) output.err(formatErrors(errors));
    return { stdout: output.stdout, stderr: output.stderr, exitCode: errors.length > 0 ? 1 : 0, data: { type: 'objects', objects } };
  },
};

async function collect(args: DeleteArgs, kube: KubeTarget, ctx: StepContext, errors: unknown[]): Promise<{ targets: Target[]; stderr: string }> {
  const targets: Target[] = [];
  if (args.target.type === 'manifests') {
    const loaded = await loadManifests(args.target.source, ctx);
    errors.push(...loaded.errors);
    if (loaded.buildFailed !== undefined || (loaded.manifests.length === 0 && loaded.errors.length === 0)) {
      errors.push(new Error('error: no objects passed to delete'));
    }
    for (const resolved of await resolveInfos(loaded.manifests, kube, ctx.cache)) {
      if ('error' in resolved) errors.push(resolved.error);
      else targets.push({ ...resolved.info, apiVersion: resolved.info.object.apiVersion });
    }
    return { targets, stderr: loaded.stderr };
  }
  const t = args.target;
  const spec = { resource: t.resource, names: t.names, all: t.all, selector: t.selector, allNamespaces: args.allNamespaces };
  try {
    for (const s of await selectObjects(kube, ctx.cache, spec, { fetch: false, signal: ctx.signal })) {
      if ('error' in s) errors.push(s.error);
      else targets.push({ ...s.ok, source: '', apiVersion: s.ok.mapping.group ? `${s.ok.mapping.group}/${s.ok.mapping.version}` : s.ok.mapping.version });
    }
  } catch (error) {
    errors.push(error);
  }
  return { targets, stderr: '' };
}

/** DELETE with retries on throttling and server errors; a 404 after a failed try means that try did delete. */
async function deleteOne(kube: KubeTarget, target: Target, signal: AbortSignal): Promise<string | undefined> {
  const path = objectPath(target.mapping, target.namespace, target.name);
  for (let attempt = 1; ; attempt++) {
    const response = await kube.client.request('DELETE', path, { body: deleteOptions, signal, retry: false });
    const transient = response.status === 429 || (response.status >= 500 && response.status !== 501);
    if (transient && attempt < 6) {
      await sleep(Math.min(1000, 25 * 2 ** attempt), signal);
      continue;
    }
    if (response.status === 404 && attempt > 1) return undefined;
    if (response.status >= 400) throw apiErrorFrom(response.status, response.text);
    const body = JSON.parse(response.text || '{}') as { metadata?: { uid?: string }; details?: { uid?: string } };
    return body.metadata?.uid ?? body.details?.uid;
  }
}

/** Watches every deleted object until it is gone (or replaced by a new one with another uid). */
async function waitGone(kube: KubeTarget, deleted: { target: Target; uid?: string }[], ctx: StepContext): Promise<Error | undefined> {
  const results = await Promise.all(
    deleted.map(async ({ target, uid }) => {
      try {
        await untilObject(kube.client, collectionPath(target.mapping, target.namespace), target.name, {
          signal: ctx.signal,
          check: (object) => (!object || (uid && object.metadata?.uid !== uid) ? { done: true, value: true } : { done: false }),
        });
        return undefined;
      } catch (error) {
        if (ctx.signal.aborted) return new Error(`error: timed out waiting for the condition on ${target.mapping.resource}/${target.name}`);
        return error as Error;
      }
    }),
  );
  return results.find((r) => r !== undefined);
}
