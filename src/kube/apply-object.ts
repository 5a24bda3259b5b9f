/**
 * Applying one object the way `kubectl apply` does: client-side (last-applied annotation, GET, POST or a
 * three-way patch) or server-side (one apply-patch). Throttled and failed requests are retried: apply is
 * idempotent, and a create that may have landed before a 500 turns into a patch on the next try.
 */
import { ApiError } from '../core/api-status.js';
import { apiErrorFrom, withSource } from './errors.js';
import type { Info } from './infos.js';
import { infoString, isBuiltin } from './infos.js';
import { collectionPath, objectPath } from './discovery.js';
import { sleep, type KubeClient } from './rest.js';
import { goJson, isObject } from '../core/json.js';
import { lastAppliedAnnotation, threeWayPatch, withLastApplied } from './three-way.js';

export type ApplyOutcome = 'created' | 'configured' | 'unchanged' | 'serverside-applied';

export interface ApplyOneOptions {
  serverSide: boolean;
  forceConflicts?: boolean;
  fieldManager?: string;
  dryRun?: 'none' | 'client' | 'server';
  signal: AbortSignal;
  /** Where kubectl's own warnings go (missing last-applied annotation). */
  warn(text: string): void;
  /**
   * Called just before a create is sent: from then on the object may exist even if the call never answers
   * (an interrupt), so the caller can count it as this run's to clean up.
   */
  onCreating?: () => void;
}

const maxTries = 6;

/** Applies `info.object`; rejects with an `ApiError` (source already attached) that kubectl would report. */
export async function applyOne(client: KubeClient, info: Info, options: ApplyOneOptions): Promise<ApplyOutcome> {
  if (!info.name) {
    throw new Error(`error: error when retrieving current configuration of:\n${infoString(info)}\nfrom server for: ${JSON.stringify(info.source)}: resource name may not be empty`);
  }
  const state = { triedCreate: false };
  for (let attempt = 1; ; attempt++) {
    try {
      if (options.serverSide) return await serverSide(client, info, options);
      const outcome = await clientSide(client, info, options, state);
      // A create that failed with a server error may still have landed: finding exactly our object is that create.
      return outcome === 'unchanged' && state.triedCreate ? 'created' : outcome;
    } catch (error) {
      const retriable = error instanceof Retry && attempt < maxTries && !options.signal.aborted;
      if (!retriable) throw error instanceof Retry ? error.cause : error;
      await sleep(Math.min(1000, 25 * 2 ** attempt), options.signal);
    }
  }
}

/** Marks a failure worth another try of the whole apply (throttling, server errors, conflicts). */
class Retry extends Error {
  constructor(override readonly cause: ApiError) {
    super(cause.message);
  }
}

function retryable(error: ApiError): boolean {
  return error.code === 429 || error.code === 409 || (error.code >= 500 && error.code !== 501);
}

async function call(client: KubeClient, method: string, path: string, options: Parameters<KubeClient['request']>[2], wrap: (e: ApiError) => ApiError): Promise<unknown> {
  try {
    return await client.requestOk(method, path, { ...options, retry: true });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (retryable(error)) throw new Retry(wrap(error));
    throw wrap(error);
  }
}

async function serverSide(client: KubeClient, info: Info, options: ApplyOneOptions): Promise<ApplyOutcome> {
  await call(
    client,
    'PATCH',
    objectPath(info.mapping, info.namespace, info.name),
    {
      body: JSON.stringify(info.object),
      contentType: 'application/apply-patch+yaml',
      query: {
        fieldManager: options.fieldManager ?? 'kubectl',
        force: options.forceConflicts ? 'true' : undefined,
        fieldValidation: 'Strict',
        dryRun: options.dryRun === 'server' ? 'All' : undefined,
      },
      signal: options.signal,
    },
    (e) => withSource(e, 'patching', info.source),
  );
  return 'serverside-applied';
}

async function clientSide(client: KubeClient, info: Info, options: ApplyOneOptions, state: { triedCreate: boolean }): Promise<ApplyOutcome> {
  const modified = withLastApplied(info.object as Parameters<typeof withLastApplied>[0]);
  const path = objectPath(info.mapping, info.namespace, info.name);
  const response = await client.request('GET', path, { signal: options.signal, retry: true });
  const dryRun = options.dryRun === 'server' ? 'All' : undefined;
  const fieldManager = options.fieldManager ?? 'kubectl-client-side-apply';
  if (response.status === 404) {
    if (options.dryRun === 'client') return 'created';
    state.triedCreate = true;
    if (!dryRun) options.onCreating?.();
    await call(
      client,
      'POST',
      collectionPath(info.mapping, info.namespace),
      { body: modified, query: { fieldManager, fieldValidation: 'Strict', dryRun }, signal: options.signal },
      (e) => withSource(e, 'creating', info.source),
    );
    return 'created';
  }
  if (response.status >= 400) {
    const error = apiErrorFrom(response.status, response.text);
    const wrapped = withSource(error, `retrieving current configuration of:\n${infoString(info)}\nfrom server for:`, info.source);
    if (retryable(error)) throw new Retry(wrapped);
    throw wrapped;
  }
  const current = JSON.parse(response.text) as Record<string, unknown>;
  const metadata = isObject(current.metadata) ? current.metadata : {};
  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  const lastApplied = annotations[lastAppliedAnnotation];
  let original: Record<string, unknown> | undefined;
  if (typeof lastApplied === 'string') {
    try {
      original = JSON.parse(lastApplied) as Record<string, unknown>;
    } catch {
      original = undefined;
    }
  } else {
    options.warn(
      `Warning: resource ${info.mapping.resource}/${info.name} is missing the ${lastAppliedAnnotation} annotation which is required by kubectl apply. ` +
        'kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. ' +
        'The missing annotation will be patched automatically.\n',
    );
  }
  const strategic = isBuiltin(info.mapping);
  const patch = threeWayPatch(original as never, modified, current as never, { strategic });
  if (Object.keys(patch).length === 0) return 'unchanged';
  if (options.dryRun === 'client') return 'configured';
  await call(
    client,
    'PATCH',
    path,
    { body: patch, contentType: strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json', query: { fieldManager, fieldValidation: 'Strict', dryRun }, signal: options.signal },
    (e) => withSource(e, `applying patch:\n${goJson(patch).slice(0, -1)}\nto:\n${infoString(info)}\nfor:`, info.source),
  );
  return 'configured';
}
