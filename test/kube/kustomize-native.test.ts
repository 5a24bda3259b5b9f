/**
 * The in-process kustomize build against the real one: every kustomization it takes must print byte for byte what
 * `kubectl kustomize` prints, and what it cannot be sure of goes to the tool (buildNatively answers undefined).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNatively } from '../../src/kube/kustomize-native.js';
import { buildManifests } from '../../src/kube/kustomize.js';
import { loadManifests } from '../../src/kube/manifests.js';
import { keyOrder } from '../../src/kube/go-yaml.js';
import { needs } from '../tools.js';

const root = path.resolve(import.meta.dirname, '../..');
const kubectl = async (dir: string) => (await promisify(execFile)('kubectl', ['kustomize', dir])).stdout;
let work: string;

/** Writes `files` (path → text) under a fresh folder of `work`; returns the folder. */
async function tree(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(work, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

const thing = (name: string, extra = '') => `apiVersion: x.example.io/v1\nkind: Thing\nmetadata:\n  name: ${name}\n${extra}`;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'runbook-kustomize-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

needs('kubectl 1.32').describe('kustomize build in process, against kubectl kustomize', () => {
  needs('kubectl 1.32').it.each(['single-model', 'traffic-split', 'gateway'])('runbooks/config/%s: the same bytes', async (name) => {
    const dir = path.join(root, 'runbooks/config', name);
    const native = await buildNatively(dir);
    expect(native).toBeDefined();
    expect(native).toBe(await kubectl(dir));
  });

  needs('kubectl 1.32').it('orders objects, keys and quotes strings as kustomize v5 does', async () => {
    const spec = [
      'spec:',
      ...['y', 'yes', 'no', 'True', 'null', '~', '123', '0123', '*', '*.example.com', '@a', '/v2', 'gs://a/b', 'a:b', 'x=y', ''].map((s, i) => `  s${i}: ${JSON.stringify(s)}`),
      '  flag: true',
      '  nothing: null',
      '  int: -42',
      '  empty: {}',
      '  none: []',
      '  nested:\n  - - a\n    - b\n  - k: v\n    l:\n    - 1\n    m: {}\n  - []',
      '  keys: {A: 1, a-b: 1, a.b: 1, a/b: 1, a_b: 1, a9: 1, a10: 1, a100: 1, a010: 1, aB: 1, ab: 1}',
    ].join('\n');
    const dir = await tree('ordering', {
      'kustomization.yaml': '# a comment\nnamespace: team-a\nresources:\n- ../base\n- things.yaml\n',
      'things.yaml': `---\n${thing('c', '  namespace: elsewhere\n')}---\n---\n${thing('a', `${spec}\n`)}---\napiVersion: a.example.io/v1beta1\nkind: Zed\nmetadata: {name: z}\n`,
      '../base/kustomization.yaml': 'namespace: ignored\nresources:\n- b.yaml\n',
      '../base/b.yaml': thing('b', 'spec:\n  replicas: 3\n'),
    });
    const native = await buildNatively(dir);
    expect(native).toBeDefined();
    expect(native).toBe(await kubectl(dir));
  });

  needs('kubectl 1.32').it('prints what kubectl prints for random custom resources, or leaves them to it', async () => {
    // A seeded generator of awkward keys and values: what the in-process build accepts must match byte for byte.
    let seed = 16;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const keys = ['a', 'A', 'aB', 'ab', 'a-b', 'a_b', 'a.b', 'a/b', 'x9', 'x10', 'x010', 'x1a', 'app.kubernetes.io/name', 'z0', 'z00', 'k08'];
    const plain = ['', 'y', 'yes', 'On', 'NULL', '~', '007', '*', '*.a.com', '@x', '/v2', 'a:b', 'a=b', 'gs://b/c', 'Hello-World_1'];
    const awkward = ['1.5', '0x1F', '-a', 'a:', 'a#b', 'a b', '%x', '2001-12-14', 'é'];
    const strings = [...Array.from({ length: 10 }, () => plain).flat(), ...awkward];
    const value = (depth: number): string => {
      const r = rnd();
      if (depth > 2 || (depth > 0 && r < 0.45)) {
        const t = rnd();
        return t < 0.6 ? JSON.stringify(pick(strings)) : t < 0.8 ? String(Math.floor(rnd() * 2000) - 500) : t < 0.97 ? pick(['true', 'false', 'null']) : pick(['1.0', '017', '1_000']);
      }
      if (depth === 0 || r < 0.7) {
        // Distinct keys, so that the map parses and its order is kustomize's to decide.
        const chosen = [...keys].sort(() => rnd() - 0.5).slice(0, 2 + Math.floor(rnd() * 5));
        return `{${chosen.map((k) => `${JSON.stringify(k)}: ${value(depth + 1)}`).join(', ')}}`;
      }
      return `[${Array.from({ length: Math.floor(rnd() * 3) }, () => value(depth + 1)).join(', ')}]`;
    };
    let built = 0;
    for (let i = 0; i < 40; i++) {
      const objects = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, j) => `${thing(`n${j}`, pick(['', `  namespace: ns${j % 2}\n`]))}spec: ${value(0)}\n`);
      const dir = await tree(`random-${i}`, { 'kustomization.yaml': `${pick(['', 'namespace: team\n'])}resources:\n- a.yaml\n`, 'a.yaml': objects.join('---\n') });
      const native = await buildNatively(dir);
      if (native === undefined) continue;
      built++;
      expect(native, `${dir}/a.yaml`).toBe(await kubectl(dir));
    }
    // Not a test of refusals only: a fair share of the cases is built here.
    expect(built).toBeGreaterThan(5);
  });

  needs('kubectl 1.32').it('sorts by namespace, then name, with objects outside any namespace last', async () => {
    const dir = await tree('namespaces', {
      'kustomization.yaml': 'resources:\n- a.yaml\n',
      'a.yaml': [thing('b', '  namespace: one\n'), thing('a', '  namespace: two\n'), thing('a'), thing('c', '  namespace: one\n')].join('---\n'),
    });
    expect(await buildNatively(dir)).toBe(await kubectl(dir));
  });

  needs('kubectl 1.32').it.each([
    ['a field it does not build (commonLabels)', { 'kustomization.yaml': 'commonLabels: {a: b}\nresources:\n- a.yaml\n', 'a.yaml': thing('a') }],
    ['a built-in kind (ConfigMap)', { 'kustomization.yaml': 'resources:\n- a.yaml\n', 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' }],
    ['a string go-yaml would fold (spaces)', { 'kustomization.yaml': 'resources:\n- a.yaml\n', 'a.yaml': thing('a', `spec: {text: ${'word '.repeat(30)}}\n`) }],
    ['an integer go-yaml reads as octal', { 'kustomization.yaml': 'resources:\n- a.yaml\n', 'a.yaml': thing('a', 'spec: {mode: 017}\n') }],
    ['a float', { 'kustomization.yaml': 'resources:\n- a.yaml\n', 'a.yaml': thing('a', 'spec: {ratio: 0.1}\n') }],
    ['a repeated object', { 'kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n', 'a.yaml': thing('a'), 'b.yaml': thing('a') }],
    ['no kustomization', { 'a.yaml': thing('a') }],
  ])('leaves %s to the tool, which builds it or says why not', async (name, files) => {
    const dir = await tree(name.replace(/\W+/g, '-'), files);
    expect(await buildNatively(dir)).toBeUndefined();
    // The result the step reports is the tool's, error included.
    const tool = await promisify(execFile)('kubectl', ['kustomize', dir]).then((r) => ({ stdout: r.stdout, exitCode: 0 }), (e: { stdout: string; code: number }) => ({ stdout: e.stdout, exitCode: e.code }));
    const built = await buildManifests(dir, { cwd: work, signal: AbortSignal.timeout(20_000), cache: new Map() });
    expect(built.tool).toBe('kubectl');
    expect({ stdout: built.stdout, exitCode: built.exitCode }).toEqual(tool);
  });

  needs('kubectl 1.32').it('is what the build step runs for a simple kustomization, and RUNBOOK_KUSTOMIZE=tool runs kubectl', async () => {
    const ctx = { cwd: path.join(root, 'runbooks'), signal: AbortSignal.timeout(20_000), cache: new Map<string, unknown>() };
    const native = await buildManifests('config/traffic-split', ctx);
    expect(native.tool).toBe('runbook');
    process.env.RUNBOOK_KUSTOMIZE = 'tool';
    try {
      const tool = await buildManifests('config/traffic-split', { ...ctx, cache: new Map() });
      expect(tool.tool).toBe('kubectl');
      expect(native.stdout).toBe(tool.stdout);
    } finally {
      delete process.env.RUNBOOK_KUSTOMIZE;
    }
  });
});

describe('parsed once, handed out as copies', () => {
  it('gives each load of a build its own objects: a step changing one does not change the next', async () => {
    const ctx = () => ({ cwd: path.join(root, 'runbooks'), signal: AbortSignal.timeout(20_000), cache: new Map<string, unknown>() });
    const first = await loadManifests({ type: 'build', dir: 'config/single-model', tool: 'kustomize' }, ctx());
    expect(first.manifests.map((m) => m.object.metadata.name)).toEqual(['iris', 'seldon-gateway', 'iris-route']);
    first.manifests[0]!.object.metadata.name = 'changed';
    (first.manifests[0]!.object.spec as { requirements: string[] }).requirements.push('changed');
    const second = await loadManifests({ type: 'build', dir: 'config/single-model', tool: 'kustomize' }, ctx());
    expect(second.manifests[0]!.object.metadata.name).toBe('iris');
    expect(second.manifests[0]!.object.spec).toEqual({ requirements: ['sklearn'], storageUri: 'gs://seldon-models/mlserver/iris' });
  });
});

describe('go-yaml key order', () => {
  it('puts non-letters before letters and compares digit runs as numbers', () => {
    expect(['ab', 'aB', 'a10', 'a9', 'a_b', 'a-b', 'A'].sort(keyOrder)).toEqual(['A', 'a-b', 'a_b', 'a9', 'a10', 'aB', 'ab']);
  });
});
