/**
 * Protobuf request bodies (application/vnd.kubernetes.protobuf), which kubectl 1.32's typed clients send for
 * `kubectl create <kind>`: decoded with the real field numbers into the object a JSON body would have made.
 */
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needs } from '../../tools.js';
import type { TestSandbox } from '../helpers.js';
import { request, startTestSandbox } from '../helpers.js';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => {
  await sb?.stop();
});

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}: the envelope client-go writes. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).fork().uint32((1 << 3) | 2).string(apiVersion).uint32((2 << 3) | 2).string(kind).ldelim();
  w.uint32((2 << 3) | 2).bytes(raw);
  return Buffer.concat([Buffer.from('k8s\u0000', 'latin1'), w.finish()]);
}

/** A ConfigMap{metadata{name}} message, field numbers from k8s.io/api core/v1 generated.proto. */
function configMapMessage(name: string): Uint8Array {
  return protobuf.Writer.create().uint32((1 << 3) | 2).fork().uint32((1 << 3) | 2).string(name).ldelim().finish();
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

describe('protobuf bodies', () => {
  needs('kubectl 1.32').test('kubectl create deployment: replicas 0 (a pointer) survives, the template and its container port arrive', async () => {
    const created = await sb.kubectl(['create', 'deployment', 'web', '--image=nginx', '--port=8080', '--replicas=0']);
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe('deployment.apps/web created\n');
    const got = await request(sb, 'GET', '/apis/apps/v1/namespaces/default/deployments/web');
    expect(got.json.spec.replicas).toBe(0);
    expect(got.json.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(got.json.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(got.json.spec.template.spec.containers).toEqual([{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: {} }]);
  });

  needs('kubectl 1.32').test('kubectl create serviceaccount and secret: bytes map values arrive as base64', async () => {
    expect((await sb.kubectl(['create', 'serviceaccount', 'robot'])).stdout).toBe('serviceaccount/robot created\n');
    expect((await request(sb, 'GET', '/api/v1/namespaces/default/serviceaccounts/robot')).status).toBe(200);
    expect((await sb.kubectl(['create', 'secret', 'generic', 'creds', '--from-literal=user=admin'])).stdout).toBe('secret/creds created\n');
    const secret = await request(sb, 'GET', '/api/v1/namespaces/default/secrets/creds');
    expect(secret.json.data).toEqual({ user: Buffer.from('admin').toString('base64') });
  });

  test('a kind the sandbox has no message for answers 415, not a guess', async () => {
    const body = envelope('v1', 'Pod', configMapMessage('p'));
    const res = await request(sb, 'POST', '/api/v1/namespaces/default/pods', { body, contentType: PROTOBUF });
    expect(res.status).toBe(415);
    expect(res.json.reason).toBe('UnsupportedMediaType');
  });

  test('a ConfigMap built by hand decodes; a truncated one is a 400', async () => {
    const body = envelope('v1', 'ConfigMap', configMapMessage('hand-made'));
    const ok = await request(sb, 'POST', '/api/v1/namespaces/default/configmaps', { body, contentType: PROTOBUF });
    expect(ok.status).toBe(201);
    expect(ok.json.metadata.name).toBe('hand-made');
    const cut = await request(sb, 'POST', '/api/v1/namespaces/default/configmaps', { body: body.subarray(0, body.length - 3), contentType: PROTOBUF });
    expect(cut.status).toBe(400);
  });
});
