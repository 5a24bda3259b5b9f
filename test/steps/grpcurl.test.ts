import { resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GrpcurlArgs } from '../../src/core/model.js';
import { grpcurl } from '../../steps/grpcurl.js';
import { closedPort, context } from './curl-harness.js';

const RUNBOOKS = resolve(import.meta.dirname, '../../runbooks');
const PROTO = resolve(RUNBOOKS, 'apis/mlops/v2_dataplane/v2_dataplane.proto');

/** The seed's recorded grpcurl output for ModelInfer on iris, verbatim. */
const RECORDED = `{
  "modelName": "iris_1",
  "modelVersion": "1",
  "outputs": [
    {
      "name": "predict",
      "datatype": "INT64",
      "shape": [
        "1"
      ],
      "contents": {
        "int64Contents": [
          "2"
        ]
      }
    }
  ]
}
`;

let server: grpc.Server;
let port: number;
const seen: { metadata: grpc.Metadata; request: Record<string, unknown> }[] = [];

beforeAll(async () => {
  const definition = protoLoader.loadSync(PROTO, { keepCase: true, longs: String, defaults: false });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { inference: { GRPCInferenceService: { service: grpc.ServiceDefinition } } };
  server = new grpc.Server();
  server.addService(pkg.inference.GRPCInferenceService.service, {
    ModelInfer(call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<unknown>) {
      seen.push({ metadata: call.metadata, request: call.request });
      const model = String(call.request.model_name);
      if (model === 'missing') return callback({ code: grpc.status.NOT_FOUND, details: 'model missing not found' });
      if (model === 'down') return callback({ code: grpc.status.UNAVAILABLE, details: 'no healthy upstream' });
      if (model === 'slow') return setTimeout(() => callback(null, {}), 2000);
      callback(null, {
        model_name: `${model}_1`,
        model_version: '1',
        outputs: [{ name: 'predict', datatype: 'INT64', shape: ['1'], contents: { int64_contents: ['2'] } }],
      });
    },
  });
  new ReflectionService(definition).addToServer(server);
  port = await new Promise<number>((ok, fail) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? fail(err) : ok(p))),
  );
});
afterAll(() => server.forceShutdown());

function args(data: string, extra: Partial<GrpcurlArgs> = {}): GrpcurlArgs {
  return {
    data, plaintext: true, importPaths: ['apis'], protos: ['apis/mlops/v2_dataplane/v2_dataplane.proto'], headers: [],
    emitDefaults: false, format: 'json', address: `127.0.0.1:${port}`, method: 'inference.GRPCInferenceService/ModelInfer',
    verb: 'call', ...extra,
  };
}

const IRIS = '{"model_name":"iris","inputs":[{"name":"input","contents":{"fp32_contents":[1,2,3,4]},"datatype":"FP32","shape":[1,4]}]}';

describe('grpcurl step', () => {
  test('prints the exact recorded form of the seed (with -proto, through a connect-to mapping)', async () => {
    const ctx = context(RUNBOOKS, {
      vars: { INGRESS_IP: '172.21.255.1' },
      connectTo: [{ host: '172.21.255.1', port: '80', toHost: '127.0.0.1', toPort: String(port) }],
    });
    const out = await grpcurl.run(args(IRIS, { address: '${INGRESS_IP}:80' }), ctx);
    expect(out).toMatchObject({ stdout: RECORDED, stderr: '', exitCode: 0 });
    expect(out.data).toMatchObject({ type: 'grpc', code: 0, codeName: 'OK', response: { modelName: 'iris_1', outputs: [{ shape: ['1'] }] } });
    // The logical authority stays, as grpcurl would send it to the ingress.
    expect(seen.at(-1)?.request).toMatchObject({ model_name: 'iris', inputs: [{ name: 'input', datatype: 'FP32', shape: ['1', '4'] }] });
  });

  test('reflection without -proto gives the same output; lowerCamel input and -H metadata', async () => {
    const data = '{"modelName":"iris","inputs":[{"name":"input","contents":{"fp32Contents":[1,2,3,4]},"datatype":"FP32","shape":[1,4]}]}';
    const out = await grpcurl.run(args(data, { protos: [], importPaths: [], headers: ['seldon-model: iris'] }), context(RUNBOOKS));
    expect(out).toMatchObject({ stdout: RECORDED, stderr: '', exitCode: 0 });
    expect(seen.at(-1)?.metadata.get('seldon-model')).toEqual(['iris']);
    expect(seen.at(-1)?.request).toMatchObject({ model_name: 'iris', inputs: [{ contents: { fp32_contents: [1, 2, 3, 4] } }] });
  });

  test('NOT_FOUND prints grpcurl’s ERROR block and exits 64+5', async () => {
    const out = await grpcurl.run(args('{"model_name":"missing"}'), context(RUNBOOKS));
    expect(out).toMatchObject({ stdout: '', stderr: 'ERROR:\n  Code: NotFound\n  Message: model missing not found\n', exitCode: 69 });
    expect(out.data).toEqual({ type: 'grpc', code: 5, codeName: 'NotFound', message: 'model missing not found' });
  });

  test('UNAVAILABLE exits 64+14', async () => {
    const out = await grpcurl.run(args('{"model_name":"down"}'), context(RUNBOOKS));
    expect(out).toMatchObject({ stdout: '', stderr: 'ERROR:\n  Code: Unavailable\n  Message: no healthy upstream\n', exitCode: 78 });
  });

  test('-max-time ends the call with DeadlineExceeded', async () => {
    const out = await grpcurl.run(args('{"model_name":"slow"}', { maxTimeSec: 0.3 }), context(RUNBOOKS));
    expect(out).toMatchObject({ stderr: 'ERROR:\n  Code: DeadlineExceeded\n  Message: context deadline exceeded\n', exitCode: 68 });
  });

  test('a refused dial prints grpcurl’s message and exits 1', async () => {
    const refused = await closedPort();
    const out = await grpcurl.run(args(IRIS, { address: `127.0.0.1:${refused}` }), context(RUNBOOKS));
    expect(out).toEqual({
      stdout: '',
      stderr: `Failed to dial target host "127.0.0.1:${refused}": dial tcp 127.0.0.1:${refused}: connect: connection refused\n`,
      exitCode: 1,
    });
  });

  test('an unresolvable host is a dial failure too', async () => {
    const out = await grpcurl.run(args(IRIS, { address: 'nowhere.invalid:80' }), context(RUNBOOKS));
    expect(out).toMatchObject({ stderr: 'Failed to dial target host "nowhere.invalid:80": dial tcp: lookup nowhere.invalid: no such host\n', exitCode: 1 });
  });

  test('unknown fields in -d are reported before calling', async () => {
    const calls = seen.length;
    const out = await grpcurl.run(args('{"model":"iris"}'), context(RUNBOOKS));
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain('has no known field named model');
    expect(seen.length).toBe(calls);
  });

  test('-emit-defaults prints zero values', async () => {
    const out = await grpcurl.run(args(IRIS, { emitDefaults: true }), context(RUNBOOKS));
    const printed = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual(['modelName', 'modelVersion', 'id', 'parameters', 'outputs', 'rawOutputContents']);
    expect(printed.id).toBe('');
  });
});
