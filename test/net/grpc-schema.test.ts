/**
 * `-proto` roots are loaded once per process for the same files: a copy of the folder with the same text shares
 * the root, and a file whose text changed is parsed again.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProtoFiles } from '../../src/net/grpc-schema.js';

const apis = path.resolve(import.meta.dirname, '../../runbooks/apis');
const proto = 'apis/mlops/v2_dataplane/v2_dataplane.proto';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'runbook-protos-'));
  for (const copy of ['a', 'b', 'c']) await cp(apis, path.join(work, copy, 'apis'), { recursive: true });
  // Copy c differs in one field's name: its root must not be a's.
  const file = path.join(work, 'c', proto);
  const { readFile } = await import('node:fs/promises');
  await writeFile(file, (await readFile(file, 'utf8')).replace('string model_name = 1;', 'string model_id = 1;'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('loadProtoFiles', () => {
  it('shares the root of files with the same relative paths and text, and parses changed text again', () => {
    const load = (copy: string) => loadProtoFiles([proto], ['apis'], path.join(work, copy));
    const a = load('a');
    expect(load('b')).toBe(a);
    const c = load('c');
    expect(c).not.toBe(a);
    const fields = (root: ReturnType<typeof load>) => Object.keys(root.lookupType('inference.ModelInferRequest').fields);
    expect(fields(a)).toContain('model_name');
    expect(fields(c)).toContain('model_id');
    expect(fields(c)).not.toContain('model_name');
  });
});
