/**
 * runbooks/istio.md against the classifier and the real `kubectl kustomize`: every cell classifies as the issue
 * expects, every recorded build output is what its config folder builds, and every recorded apply/delete names
 * exactly the objects of that build.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { parseAllDocuments } from 'yaml';
import { classifyCommand, classifyKubeGet } from '../../src/parse/command.js';

const RUNBOOKS = resolve(import.meta.dirname, '../../runbooks');
const RUNBOOK = join(RUNBOOKS, 'istio.md');

interface Cell {
  /** The shell command of the cell (the `!` stripped; for a capture, the captured command). */
  command: string;
  capture: boolean;
  /** The 4-space-indented output after the cell, de-indented. */
  recorded: string;
}

/** A deliberately small reader of nbconvert Markdown (the real parser lives elsewhere and is tested there). */
function cells(markdown: string): Cell[] {
  const found: Cell[] = [];
  const fence = /```python\n([\s\S]*?)```\n/g;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
    const body = m[1]!.trimEnd();
    const capture = /^(\w+)=!(.*)$/m.exec(body);
    const after = markdown.slice(fence.lastIndex).split('\n');
    const output: string[] = [];
    for (const line of after) {
      if (line.startsWith('    ')) output.push(line.slice(4));
      else if (line.trim() === '') output.push('');
      else break;
    }
    found.push({
      command: capture ? capture[2]! : body.replace(/^!/, ''),
      capture: capture !== null,
      recorded: output.join('\n').replace(/^\n+|\n+$/g, ''),
    });
  }
  return found;
}

const all = cells(readFileSync(RUNBOOK, 'utf8'));
const temp = mkdtempSync(join(tmpdir(), 'runbook-istio-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** `kubectl kustomize` with its own cache and a kubeconfig that does not exist: nothing leaks in from the machine. */
async function kustomize(dir: string): Promise<string> {
  const kubeconfig = join(temp, 'kubeconfig');
  writeFileSync(kubeconfig, '');
  const { stdout } = await promisify(execFile)('kubectl', ['kustomize', dir, '--kubeconfig', kubeconfig], {
    cwd: RUNBOOKS,
    env: { ...process.env, KUBECACHEDIR: join(temp, 'cache'), HOME: temp },
  });
  return stdout.replace(/\n+$/, '');
}

describe('runbooks/istio.md', () => {
  it('classifies its cells in the order the issue gives', () => {
    const kinds = all.map((c) => (c.capture ? (classifyKubeGet(c.command) ? 'capture' : 'capture-untyped') : classifyCommand(c.command).kind));
    expect(kinds).toEqual([
      'capture',
      ...['build', 'apply', 'wait', 'curl', 'grpcurl', 'delete'],
      ...['build', 'apply', 'wait', 'curl', 'grpcurl', 'delete'],
    ]);
  });

  it('captures the ingress address with a typed kubectl get', () => {
    expect(classifyKubeGet(all[0]!.command)).toEqual({
      resource: 'svc',
      name: 'istio-ingressgateway',
      namespace: 'istio-system',
      jsonpath: '{.status.loadBalancer.ingress[0].ip}',
    });
  });

  it.each([
    { offset: 1, dir: 'config/single-model', model: 'iris' },
    { offset: 7, dir: 'config/traffic-split', model: 'iris1' },
  ])('types the arguments of the $dir section', ({ offset, dir, model }) => {
    const [build, apply, wait, curl, grpcurl, del] = all.slice(offset, offset + 6).map((c) => classifyCommand(c.command));
    const source = { type: 'build', dir, tool: 'kustomize' };
    expect(build).toEqual({ kind: 'build', args: { dir, tool: 'kustomize' } });
    expect(apply).toEqual({ kind: 'apply', args: { source, serverSide: false } });
    expect(wait).toEqual({
      kind: 'wait',
      args: { for: { type: 'condition', condition: 'ready', value: 'true' }, timeoutMs: 300_000, resource: 'model', names: [], all: true, namespace: 'seldon-mesh' },
    });
    expect(curl).toMatchObject({
      kind: 'curl',
      args: { url: 'http://${INGRESS_IP}/v2/models/iris/infer', verbose: true, headers: ['Content-Type: application/json'] },
    });
    expect(curl?.kind === 'curl' && JSON.parse(curl.args.data[0]!.value)).toMatchObject({ inputs: [{ name: 'predict', datatype: 'FP32' }] });
    expect(grpcurl).toMatchObject({
      kind: 'grpcurl',
      args: {
        plaintext: true,
        importPaths: ['apis'],
        protos: ['apis/mlops/v2_dataplane/v2_dataplane.proto'],
        address: '${INGRESS_IP}:80',
        method: 'inference.GRPCInferenceService/ModelInfer',
        verb: 'call',
      },
    });
    expect(grpcurl?.kind === 'grpcurl' && JSON.parse(grpcurl.args.data ?? '')).toMatchObject({ model_name: model });
    expect(del).toEqual({ kind: 'delete', args: { target: { type: 'manifests', source }, ignoreNotFound: false, wait: true } });
  });

  it('names a proto that exists, relative to the runbook', () => {
    const grpc = classifyCommand(all[5]!.command);
    if (grpc.kind !== 'grpcurl') throw new Error(`expected grpcurl, got ${grpc.kind}`);
    expect(existsSync(join(RUNBOOKS, grpc.args.protos[0]!))).toBe(true);
    expect(grpc.args.protos[0]!.startsWith(`${grpc.args.importPaths[0]}/`)).toBe(true);
  });

  const builds = all.filter((c) => c.command.startsWith('kustomize build ') && !c.command.includes('|'));
  needs('kubectl').it.each(builds.map((c) => [c.command.slice('kustomize build '.length), c] as const))(
    'records exactly what kubectl kustomize %s prints',
    async (dir, cell) => {
      expect(await kustomize(dir)).toBe(cell.recorded);
    },
  );

  needs('kubectl').it.each(builds.map((c) => [c.command.slice('kustomize build '.length)] as const))(
    'records an apply and a delete of exactly the objects %s builds, in build order',
    async (dir) => {
      const objects = parseAllDocuments(await kustomize(dir)).map((d) => {
        const o = d.toJS() as { apiVersion: string; kind: string; metadata: { name: string } };
        return { id: `${o.kind.toLowerCase()}.${o.apiVersion.split('/')[0]}`, name: o.metadata.name };
      });
      const recorded = (verb: 'apply' | 'delete') =>
        all.find((c) => c.command === `kustomize build ${dir} | kubectl ${verb} -f -`)!.recorded.split('\n');
      expect(recorded('apply').map((l) => l.split(' ')[0])).toEqual(objects.map((o) => `${o.id}/${o.name}`));
      expect(recorded('delete')).toEqual(objects.map((o) => `${o.id} "${o.name}" deleted`));
    },
  );
});
