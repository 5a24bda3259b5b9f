import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../steps/apply.js';
import { capture } from '../../steps/capture.js';
import { deleteStep } from '../../steps/delete.js';
import { withVars } from '../../steps/substitute.js';
import { wait } from '../../steps/wait.js';
import type { CaptureArgs, CurlArgs, DeleteArgs, WaitArgs } from '../../src/core/model.js';
import { startHarness, type Harness } from '../kube/harness.js';

const vars = { NS: 'seldon-mesh', DIR: 'sub', NAME: 'cm-sub', KIND: 'configmap', KEY: 'key', SEL: 'app=demo', EMPTY: '' };

describe('withVars (each kind substitutes its own arguments)', () => {
  it('substitutes kubectl flags and manifest paths, but not a heredoc', () => {
    const flags = { namespace: '$NS', context: 'ctx-${NAME}', kubeconfig: '${DIR}/kubeconfig' };
    const files = withVars.apply({ ...flags, source: { type: 'files', paths: ['$DIR/a.yaml', 'b-${NAME}.yaml'], recursive: false }, serverSide: false }, vars);
    expect(files).toEqual({
      namespace: 'seldon-mesh',
      context: 'ctx-cm-sub',
      kubeconfig: 'sub/kubeconfig',
      source: { type: 'files', paths: ['sub/a.yaml', 'b-cm-sub.yaml'], recursive: false },
      serverSide: false,
    });
    expect(withVars.apply({ source: { type: 'kustomize', dir: '$DIR' }, serverSide: false }, vars).source).toEqual({ type: 'kustomize', dir: 'sub' });
    expect(withVars.apply({ source: { type: 'build', dir: '$DIR/o', tool: 'kubectl' }, serverSide: false }, vars).source).toEqual({ type: 'build', dir: 'sub/o', tool: 'kubectl' });
    const heredoc = { type: 'stdin', text: 'metadata: {name: $NAME}' } as const;
    expect(withVars.apply({ source: heredoc, serverSide: false }, vars).source).toEqual(heredoc);
  });

  it('keeps an optional argument given when its variable is empty, and not given when it was empty as written', () => {
    const base: WaitArgs = { for: { type: 'delete' }, timeoutMs: 0, resource: '$KIND', names: ['$NAME', 'x/$NAME'], all: false };
    expect(withVars.wait({ ...base, selector: '$EMPTY', namespace: '' }, vars)).toMatchObject({ resource: 'configmap', names: ['cm-sub', 'x/cm-sub'], selector: '', namespace: undefined });
    expect(withVars.wait({ ...base, selector: '', source: { type: 'files', paths: ['$DIR'], recursive: true } }, vars)).toMatchObject({
      selector: undefined,
      source: { type: 'files', paths: ['sub'], recursive: true },
    });
  });

  it('substitutes both forms of delete', () => {
    const names: DeleteArgs = { target: { type: 'names', resource: '$KIND', names: ['$NAME'], all: false, selector: '$SEL' }, namespace: '$NS', ignoreNotFound: false, wait: false };
    expect(withVars.delete(names, vars)).toEqual({ ...names, namespace: 'seldon-mesh', context: undefined, kubeconfig: undefined, target: { type: 'names', resource: 'configmap', names: ['cm-sub'], all: false, selector: 'app=demo' } });
    const manifests: DeleteArgs = { target: { type: 'manifests', source: { type: 'kustomize', dir: '$DIR' } }, ignoreNotFound: true, wait: true };
    expect(withVars.delete(manifests, vars).target).toEqual({ type: 'manifests', source: { type: 'kustomize', dir: 'sub' } });
  });

  it('substitutes a typed capture, and leaves a shell command to bash', () => {
    const typed: CaptureArgs = {
      variable: 'V',
      command: 'kubectl get $KIND',
      get: { resource: '$KIND', name: '$NAME', jsonpath: '{.data.$KEY}', namespace: '$NS' },
      firstLine: true,
      exported: false,
      displayed: true,
    };
    expect(withVars.capture(typed, vars)).toMatchObject({ command: 'kubectl get $KIND', get: { resource: 'configmap', name: 'cm-sub', jsonpath: '{.data.key}', namespace: 'seldon-mesh', selector: undefined } });
    const shell = { ...typed, get: undefined };
    expect(withVars.capture(shell, vars)).toBe(shell);
    expect(withVars.shell({ script: 'echo $NAME' }, vars)).toEqual({ script: 'echo $NAME' });
  });

  it('substitutes curl and grpcurl arguments, leaving absent options absent', () => {
    const curl: CurlArgs = {
      url: 'http://$NAME/${KEY}',
      headers: ['Host: $NAME'],
      data: [{ flag: 'data', value: '{"k":"$KEY"}' }],
      verbose: false,
      silent: true,
      showError: false,
      include: false,
      head: false,
      location: false,
      insecure: false,
      fail: false,
      connectTo: ['$NAME:80:127.0.0.1:8080'],
      resolve: [],
      http2PriorKnowledge: false,
    };
    expect(withVars.curl(curl, vars)).toEqual({ ...curl, url: 'http://cm-sub/key', headers: ['Host: cm-sub'], data: [{ flag: 'data', value: '{"k":"key"}' }], connectTo: ['cm-sub:80:127.0.0.1:8080'] });
    const grpc = withVars.grpcurl(
      { plaintext: true, importPaths: ['$DIR'], protos: ['$NAME.proto'], headers: [], emitDefaults: false, format: 'json', address: '$NAME:80', method: 'a.B/C', verb: 'call' },
      vars,
    );
    expect(grpc).toMatchObject({ importPaths: ['sub'], protos: ['cm-sub.proto'], address: 'cm-sub:80', data: undefined });
  });
});

describe('steps substitute before calling kube', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await mkdir(path.join(h.dir, 'sub'));
    await writeFile(path.join(h.dir, 'sub', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-sub\ndata:\n  key: value\n');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('applies, captures, waits for and deletes an object named through variables', async () => {
    const applied = await apply.run({ source: { type: 'files', paths: ['$DIR/cm.yaml'], recursive: false }, namespace: '$NS', serverSide: false }, h.ctx({ vars }));
    expect(applied).toMatchObject({ stdout: 'configmap/cm-sub created\n', stderr: '', exitCode: 0 });

    const get = { resource: '$KIND', name: '$NAME', namespace: '${NS}', jsonpath: '{.metadata.namespace}/{.data.$KEY}' };
    const captured = await capture.run({ variable: 'V', command: '', get, firstLine: true, exported: false, displayed: false }, h.ctx({ vars }));
    expect(captured).toMatchObject({ stderr: '', exitCode: 0, vars: { V: 'seldon-mesh/value' } });

    const waited = await wait.run(
      { for: { type: 'jsonpath', path: '{.data.key}', value: 'value' }, timeoutMs: 5000, resource: '$KIND', names: ['$NAME'], all: false, namespace: '$NS' },
      h.ctx({ vars }),
    );
    expect(waited).toMatchObject({ stdout: 'configmap/cm-sub condition met\n', exitCode: 0 });

    const deleted = await deleteStep.run({ target: { type: 'names', resource: '$KIND', names: ['$NAME'], all: false }, namespace: '$NS', ignoreNotFound: false, wait: true }, h.ctx({ vars }));
    expect(deleted).toMatchObject({ stdout: 'configmap "cm-sub" deleted\n', stderr: '', exitCode: 0 });
  });
});
