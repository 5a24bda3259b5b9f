/**
 * Nothing destructive happens under dry run, for any verb on any kind: a property over (verb, kind, where the
 * dry run is said, finalizers) against the sandbox's API server over HTTPS. Each case sends the request with
 * dryRun=All, checks that the store did not move (same objects, same resourceVersions, no change events, which
 * are what watches stream), then sends the same request for real and checks both answers agree.
 */
import { Agent, request as httpsRequest } from 'node:https';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ApiServer } from '../../../src/sandbox/api/server.js';
import { startApiServer } from '../../../src/sandbox/api/server.js';
import { seed } from '../../../src/sandbox/seed.js';
import { Store } from '../../../src/sandbox/store/store.js';
import type { KubeObject } from '../../../src/sandbox/types.js';

const TOKEN = 'dry-run-property';
const store = new Store({ now: () => new Date('2026-01-02T03:04:05Z') });
seed(store);
let api: ApiServer;
// One TLS connection for all requests: a handshake per request would be most of the test's time.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  api = await startApiServer({ store, token: TOKEN });
});
afterAll(async () => {
  agent.destroy();
  await api.close();
});

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Answer> {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' };
  if (text !== undefined) Object.assign(headers, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)) });
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, api.url), { method, headers, ca: api.ca, agent }, (res) => {
      let data = '';
      res.on('data', (d: Buffer) => (data += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

type Verb = 'create' | 'update' | 'patch-json' | 'patch-merge' | 'patch-strategic' | 'apply' | 'apply-create' | 'delete' | 'deletecollection';
type Kind = 'ConfigMap' | 'Secret' | 'Service' | 'Namespace' | 'Model';

const KINDS: Record<Kind, { group: string; apiVersion: string; plural: string; body: Record<string, unknown> }> = {
  ConfigMap: { group: '', apiVersion: 'v1', plural: 'configmaps', body: { data: { k: 'v' } } },
  Secret: { group: '', apiVersion: 'v1', plural: 'secrets', body: { stringData: { password: 'hunter2' } } },
  Service: { group: '', apiVersion: 'v1', plural: 'services', body: { spec: { ports: [{ port: 80 }] } } },
  Namespace: { group: '', apiVersion: 'v1', plural: 'namespaces', body: {} },
  Model: { group: 'mlops.seldon.io', apiVersion: 'mlops.seldon.io/v1alpha1', plural: 'models', body: { spec: { storageUri: 'gs://seldon-models/mlserver/iris', requirements: ['sklearn'] } } },
};

function collectionPath(kind: Kind, namespace: string): string {
  const { apiVersion, plural } = KINDS[kind];
  const base = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
  return kind === 'Namespace' ? `${base}/${plural}` : `${base}/namespaces/${namespace}/${plural}`;
}

function manifest(kind: Kind, name: string, namespace: string, finalizers: string[] = []): KubeObject {
  return {
    apiVersion: KINDS[kind].apiVersion,
    kind,
    metadata: { name, ...(kind === 'Namespace' ? {} : { namespace }), ...(finalizers.length ? { finalizers } : {}) },
    ...structuredClone(KINDS[kind].body),
  };
}

/** Every stored object of every kind, with its resourceVersion, and the store's counter. */
function snapshot(): string {
  return JSON.stringify({ rv: store.resourceVersion, objects: store.types.all().map((t) => store.select(t)) });
}

/** What may differ between a dry run and the real thing: identities minted per request and counters. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !['uid', 'resourceVersion', 'managedFields'].includes(key))
      .map(([key, v]) => [key, normalize(v)]),
  );
}

/** The request of one verb: the dry-run switch goes in the query, or for deletes in the DeleteOptions body. */
function requestOf(verb: Verb, kind: Kind, namespace: string, name: string, label: string, dryRun: boolean, inBody: boolean) {
  const collection = collectionPath(kind, namespace);
  const item = `${collection}/${name}`;
  const query = (extra = '') => `?${[dryRun && !(inBody && verb.startsWith('delete')) ? 'dryRun=All' : '', extra].filter(Boolean).join('&')}`;
  const labels = { metadata: { labels: { changed: label } } };
  const deleteOptions = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', ...(dryRun && inBody ? { dryRun: ['All'] } : {}) };
  switch (verb) {
    case 'create':
      return { method: 'POST', path: collection + query(), body: manifest(kind, `${name}-new`, namespace) };
    case 'update': {
      const current = store.find(store.types.byKind(KINDS[kind].group, kind)!, namespace, name)!;
      return { method: 'PUT', path: item + query(), body: { ...current, metadata: { ...current.metadata, labels: { changed: label } } } };
    }
    case 'patch-json':
      return { method: 'PATCH', path: item + query(), body: [{ op: 'add', path: '/metadata/labels', value: { changed: label } }], contentType: 'application/json-patch+json' };
    case 'patch-merge':
      return { method: 'PATCH', path: item + query(), body: labels, contentType: 'application/merge-patch+json' };
    case 'patch-strategic':
      return { method: 'PATCH', path: item + query(), body: labels, contentType: 'application/strategic-merge-patch+json' };
    case 'apply': {
      const config = manifest(kind, name, namespace);
      config.metadata.labels = { changed: label };
      return { method: 'PATCH', path: item + query('fieldManager=property'), body: config, contentType: 'application/apply-patch+yaml' };
    }
    case 'apply-create': {
      // Server-side apply of an object that does not exist yet creates it.
      const config = manifest(kind, `${name}-applied`, namespace);
      return { method: 'PATCH', path: `${item}-applied${query('fieldManager=property')}`, body: config, contentType: 'application/apply-patch+yaml' };
    }
    case 'delete':
      return { method: 'DELETE', path: item + query(), body: deleteOptions };
    case 'deletecollection':
      return { method: 'DELETE', path: collection + query(), body: deleteOptions };
  }
}

const ALL_KINDS: Kind[] = ['ConfigMap', 'Secret', 'Service', 'Namespace', 'Model'];
const VERBS: Verb[] = ['create', 'update', 'patch-json', 'patch-merge', 'patch-strategic', 'apply', 'apply-create', 'delete', 'deletecollection'];
/** Each verb on each kind, dry run said both ways, alternately held by a finalizer. */
const EVERY_COMBINATION = VERBS.flatMap((verb, v) =>
  ALL_KINDS.flatMap((kind, k) => [true, false].map((inBody): [Verb, Kind, boolean, boolean, string] => [verb, kind, inBody, (v + k) % 2 === 0, 'a'])),
);
let run = 0;

test('every verb on every kind under dry run leaves the store as it was and answers what the real request answers', async () => {
  const events: string[] = [];
  store.onChange((e) => events.push(`${e.type} ${e.object.metadata.name}`));
  const seen = new Set<string>();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...VERBS),
      fc.constantFrom(...ALL_KINDS),
      fc.boolean(),
      fc.boolean(),
      fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
      async (verb, kind, inBody, held, label) => {
        // Namespaces have no deletecollection (405 both ways is checked elsewhere); pick delete instead.
        const effective: Verb = kind === 'Namespace' && verb === 'deletecollection' ? 'delete' : verb;
        const namespace = `prop-${++run}`;
        const nsType = store.types.byKind('', 'Namespace')!;
        store.create(nsType, manifest('Namespace', namespace, namespace, kind === 'Namespace' && held ? ['example.com/hold'] : []));
        const name = kind === 'Namespace' ? namespace : 'target';
        if (kind !== 'Namespace') store.create(store.types.byKind(KINDS[kind].group, kind)!, manifest(kind, name, namespace, held ? ['example.com/hold'] : []));

        const before = snapshot();
        events.length = 0;
        const dry = requestOf(effective, kind, namespace, name, label, true, inBody);
        const dryAnswer = await send(dry.method, dry.path, dry.body, dry.contentType);
        expect(snapshot()).toBe(before);
        expect(events).toEqual([]);

        const real = requestOf(effective, kind, namespace, name, label, false, inBody);
        const realAnswer = await send(real.method, real.path, real.body, real.contentType);
        expect(dryAnswer.status).toBe(realAnswer.status);
        expect(normalize(dryAnswer.body)).toEqual(normalize(realAnswer.body));
        // The real request did something (or failed for the same reason), so the dry run was not vacuous.
        if (realAnswer.status < 300) expect(events.length).toBeGreaterThan(0);
        seen.add(`${effective} ${kind} ${realAnswer.status}`);
      },
    ),
    // Every combination once for sure (examples count within numRuns), then random ones on top.
    { examples: EVERY_COMBINATION, numRuns: EVERY_COMBINATION.length + 30, seed: 20261202 },
  );
  // Every verb was tried on every kind and succeeded for real, except strategic merge on a custom resource (415).
  for (const verb of VERBS) {
    for (const kind of ['ConfigMap', 'Secret', 'Service', 'Model'] as Kind[]) {
      const ok = [...seen].some((s) => s.startsWith(`${verb} ${kind} 2`));
      expect(ok || (verb === 'patch-strategic' && kind === 'Model'), `${verb} ${kind} in ${[...seen].sort().join("; ")}`).toBe(true);
    }
  }
  expect([...seen]).toContain('patch-strategic Model 415');
});

test('DeleteOptions in the body: preconditions are checked, bad values are refused as the API server does, namespaces have no deletecollection', async () => {
  const cmType = store.types.byKind('', 'ConfigMap')!;
  const created = store.create(cmType, manifest('ConfigMap', 'options', 'default'));
  const path = '/api/v1/namespaces/default/configmaps/options';
  const [wrongUid, wrongRv, policy, dryRun, collection] = await Promise.all([
    send('DELETE', path, { preconditions: { uid: 'not-the-uid' } }),
    send('DELETE', path, { preconditions: { resourceVersion: '1' } }),
    send('DELETE', path, { propagationPolicy: 'Sometimes' }),
    send('DELETE', path, { dryRun: ['Everything'] }),
    send('DELETE', '/api/v1/namespaces', {}),
  ]);
  expect([wrongUid.status, wrongRv.status]).toEqual([409, 409]);
  expect(policy.body).toMatchObject({
    code: 422,
    message: 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan"',
  });
  expect(dryRun.body).toMatchObject({ code: 422, message: 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: "Everything": supported values: "All"' });
  expect(collection.status).toBe(405);
  expect(store.find(cmType, 'default', 'options')?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  const deleted = await send('DELETE', path, { preconditions: { uid: created.metadata.uid }, gracePeriodSeconds: 0 });
  expect(deleted.status).toBe(200);
  expect(store.find(cmType, 'default', 'options')).toBeUndefined();
});
