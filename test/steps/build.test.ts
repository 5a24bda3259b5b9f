import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { build, buildManifests } from '../../steps/build.js';
import type { StepContext } from '../../src/core/step.js';

const run = promisify(execFile);
let dir: string;

function context(cache = new Map<string, unknown>()): StepContext {
  return {
    cwd: dir,
    vars: { OVERLAY: 'overlay' },
    kube: () => Promise.reject(new Error('unused')),
    signal: AbortSignal.timeout(20_000),
    deadline: Date.now() + 20_000,
    connectTo: [],
    write: () => {},
    cache,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runbook-build-'));
  await mkdir(path.join(dir, 'base'));
  await mkdir(path.join(dir, 'overlay'));
  await writeFile(path.join(dir, 'base', 'kustomization.yaml'), 'resources:\n- cm.yaml\n');
  await writeFile(path.join(dir, 'base', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  z: "1"\n  a: "2"\n');
  await writeFile(path.join(dir, 'overlay', 'kustomization.yaml'), 'namespace: seldon-mesh\nresources:\n- ../base\n- svc.yaml\n');
  await writeFile(path.join(dir, 'overlay', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('build step', () => {
  needs('kubectl').it('prints exactly what kubectl kustomize prints', async () => {
    const real = await run('kubectl', ['kustomize', 'overlay'], { cwd: dir });
    const native = await build.run({ dir: '$OVERLAY', tool: 'kustomize' }, context());
    expect(native).toEqual({ stdout: real.stdout, stderr: real.stderr, exitCode: 0 });
    expect(native.stdout).toContain('namespace: seldon-mesh');
  });

  needs('kustomize|kubectl').it('builds once per run and content, and again when a referenced base changes', async () => {
    const cache = new Map<string, unknown>();
    const first = buildManifests('overlay', context(cache));
    const second = buildManifests('overlay', context(cache));
    expect(await first).toBe(await second);
    expect((await buildManifests('overlay', context(cache))).stdout).toBe((await first).stdout);
    // A change outside the folder, in ../base, is part of the key.
    await writeFile(path.join(dir, 'base', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: changed\n');
    const third = await buildManifests('overlay', context(cache));
    expect(third.stdout).toContain('name: changed');
  });

  needs('kustomize|kubectl').it('reports a failing build with the tool output and exit status', async () => {
    const out = await build.run({ dir: 'does-not-exist', tool: 'kubectl' }, context());
    expect(out.exitCode).not.toBe(0);
    expect(out.stderr).toMatch(/does-not-exist/);
  });

  it('names both tools when neither is installed', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const out = await build.run({ dir: 'overlay', tool: 'kustomize' }, context());
      expect(out.exitCode).toBe(127);
      expect(out.stderr).toMatch(/neither `kustomize` nor `kubectl`/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
