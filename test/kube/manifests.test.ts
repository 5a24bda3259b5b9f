import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests, parseDocuments } from '../../src/kube/manifests.js';

let dir: string;
const ctx = () => ({ cwd: dir, signal: AbortSignal.timeout(10_000), cache: new Map<string, unknown>() });
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runbook-manifests-'));
  await mkdir(path.join(dir, 'm', 'nested'), { recursive: true });
  await writeFile(path.join(dir, 'm', 'b.yaml'), `${cm('b1')}---\n---\n${cm('b2')}`);
  await writeFile(path.join(dir, 'm', 'a.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [JSON.parse('{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a"}}')] }));
  await writeFile(path.join(dir, 'm', 'notes.txt'), 'not a manifest');
  await writeFile(path.join(dir, 'm', 'nested', 'c.yml'), cm('c'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const names = (r: Awaited<ReturnType<typeof loadManifests>>) => r.manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}@${m.source}`);

describe('manifest loading', () => {
  it('reads a folder in lexical order, flattening Lists and skipping empty documents and other files', async () => {
    const r = await loadManifests({ type: 'files', paths: ['m'], recursive: false }, ctx());
    expect(names(r)).toEqual(['Secret/a@m/a.json', 'ConfigMap/b1@m/b.yaml', 'ConfigMap/b2@m/b.yaml']);
    expect(r.errors).toEqual([]);
  });

  it('descends with -R', async () => {
    const r = await loadManifests({ type: 'files', paths: ['m'], recursive: true }, ctx());
    expect(names(r).at(-1)).toBe('ConfigMap/c@m/nested/c.yml');
  });

  it('takes paths as given: variables are substituted by the steps, before loading', async () => {
    const r = await loadManifests({ type: 'files', paths: ['m/$SUB/c.yml'], recursive: false }, ctx());
    expect(r.manifests).toEqual([]);
    expect(r.errors.map((e) => e.message)).toEqual(['error: the path "m/$SUB/c.yml" does not exist']);
  });

  it('reports a missing path and a document without kind, keeping the good ones', async () => {
    const r = await loadManifests({ type: 'files', paths: ['missing.yaml'], recursive: false }, ctx());
    expect(r.errors.map((e) => e.message)).toEqual(['error: the path "missing.yaml" does not exist']);
    const { objects, errors } = parseDocuments(`${cm('ok')}---\nmetadata: {name: x}\n`, 'STDIN');
    expect(objects).toHaveLength(1);
    expect(errors[0]?.message).toBe(
      'error: error validating "STDIN": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false',
    );
  });

  it('reads YAML 1.1 scalars as kubectl does (yes is a boolean)', () => {
    const { objects } = parseDocuments('apiVersion: v1\nkind: X\nmetadata: {name: a}\nspec: {on: yes, num: 010}\n', 'STDIN');
    expect(objects[0]?.spec).toEqual({ true: true, num: 8 });
  });
});
