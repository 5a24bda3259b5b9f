import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../../src/parse/command.js';
import type { GrpcurlArgs } from '../../src/core/model.js';

const ADDR = '${INGRESS_IP}:80';
const METHOD = 'inference.GRPCInferenceService/ModelInfer';

function grpcurl(over: Partial<GrpcurlArgs> = {}): { kind: 'grpcurl'; args: GrpcurlArgs } {
  return {
    kind: 'grpcurl',
    args: {
      plaintext: false,
      importPaths: [],
      protos: [],
      headers: [],
      emitDefaults: false,
      format: 'json',
      address: ADDR,
      method: METHOD,
      verb: 'call',
      ...over,
    },
  };
}

describe('grpcurl', () => {
  it.each<[string, Partial<GrpcurlArgs>]>([
    [`grpcurl ${ADDR} ${METHOD}`, {}],
    [`grpcurl -plaintext ${ADDR} ${METHOD}`, { plaintext: true }],
    [`grpcurl --plaintext ${ADDR} ${METHOD}`, { plaintext: true }],
    [`grpcurl -plaintext=true ${ADDR} ${METHOD}`, { plaintext: true }],
    [`grpcurl -plaintext=false ${ADDR} ${METHOD}`, { plaintext: false }],
    [`grpcurl -d '{"model_name":"iris"}' ${ADDR} ${METHOD}`, { data: '{"model_name":"iris"}' }],
    [`grpcurl --d=@ ${ADDR} ${METHOD}`, { data: '@' }],
    [`grpcurl -d={} ${ADDR} ${METHOD}`, { data: '{}' }],
    [`grpcurl -import-path apis -import-path=more ${ADDR} ${METHOD}`, { importPaths: ['apis', 'more'] }],
    [`grpcurl --import-path apis ${ADDR} ${METHOD}`, { importPaths: ['apis'] }],
    [`grpcurl -proto a.proto --proto=b.proto ${ADDR} ${METHOD}`, { protos: ['a.proto', 'b.proto'] }],
    [`grpcurl -H 'seldon-model: iris' -rpc-header "x: \${Y}" ${ADDR} ${METHOD}`, { headers: ['seldon-model: iris', 'x: ${Y}'] }],
    [`grpcurl -max-time 10 ${ADDR} ${METHOD}`, { maxTimeSec: 10 }],
    [`grpcurl -max-time=0.5 ${ADDR} ${METHOD}`, { maxTimeSec: 0.5 }],
    [`grpcurl -connect-timeout 3 ${ADDR} ${METHOD}`, { connectTimeoutSec: 3 }],
    [`grpcurl -emit-defaults ${ADDR} ${METHOD}`, { emitDefaults: true }],
    [`grpcurl -format text ${ADDR} ${METHOD}`, { format: 'text' }],
    [`grpcurl -format=json ${ADDR} ${METHOD}`, { format: 'json' }],
    [`grpcurl -plaintext -- ${ADDR} ${METHOD}`, { plaintext: true }],
    [`grpcurl -plaintext ${ADDR} inference.GRPCInferenceService.ModelInfer`, { plaintext: true, method: 'inference.GRPCInferenceService.ModelInfer' }],
    [`grpcurl -plaintext ${ADDR} list`, { plaintext: true, verb: 'list', method: '' }],
    [`grpcurl -plaintext ${ADDR} list inference.GRPCInferenceService`, { plaintext: true, verb: 'list', method: 'inference.GRPCInferenceService' }],
    [`grpcurl -plaintext ${ADDR} describe inference.ModelInferRequest`, { plaintext: true, verb: 'describe', method: 'inference.ModelInferRequest' }],
    ['grpcurl -import-path apis -proto p.proto list', { importPaths: ['apis'], protos: ['p.proto'], verb: 'list', address: '', method: '' }],
    ['grpcurl -proto p.proto describe inference.X', { protos: ['p.proto'], verb: 'describe', address: '', method: 'inference.X' }],
    [
      `grpcurl -d '{"model_name":"iris","inputs":[{"name":"input","contents":{"fp32_contents":[1,2,3,4]},"datatype":"FP32","shape":[1,4]}]}' \\\n    -plaintext \\\n    -import-path apis \\\n    -proto apis/mlops/v2_dataplane/v2_dataplane.proto \\\n    \${INGRESS_IP}:80 inference.GRPCInferenceService/ModelInfer`,
      {
        data: '{"model_name":"iris","inputs":[{"name":"input","contents":{"fp32_contents":[1,2,3,4]},"datatype":"FP32","shape":[1,4]}]}',
        plaintext: true,
        importPaths: ['apis'],
        protos: ['apis/mlops/v2_dataplane/v2_dataplane.proto'],
      },
    ],
  ])('%s', (command, over) => {
    expect(classifyCommand(command)).toEqual(grpcurl(over));
  });

  it.each([
    [`grpcurl -v ${ADDR} ${METHOD}`, 'grpcurl flag -v'],
    [`grpcurl -insecure ${ADDR} ${METHOD}`, 'grpcurl flag -insecure'],
    [`grpcurl -reflect-header a:b ${ADDR} ${METHOD}`, 'grpcurl flag -reflect-header'],
    [`grpcurl ---plaintext ${ADDR} ${METHOD}`, 'malformed'],
    [`grpcurl -=x ${ADDR} ${METHOD}`, 'malformed'],
    [`grpcurl -plaintext=yes ${ADDR} ${METHOD}`, 'not a boolean'],
    [`grpcurl -format yaml ${ADDR} ${METHOD}`, 'not json or text'],
    [`grpcurl -max-time ten ${ADDR} ${METHOD}`, 'not a number of seconds'],
    [`grpcurl -connect-timeout 1s ${ADDR} ${METHOD}`, 'not a number of seconds'],
    [`grpcurl ${ADDR} -plaintext ${METHOD}`, 'reads no flags after the address'],
    [`grpcurl ${ADDR} ${METHOD} extra`, "extra argument 'extra'"],
    [`grpcurl ${ADDR} list a b`, 'takes one symbol'],
    [`grpcurl -plaintext ${ADDR}`, 'no method'],
    ['grpcurl -plaintext', 'no address or method'],
    [`grpcurl -d`, 'needs a value'],
    [`grpcurl -plaintext ${ADDR} ${METHOD} | jq .`, 'piped into another command'],
  ])('%s falls back', (command, why) => {
    const c = classifyCommand(command);
    expect(c).toMatchObject({ kind: 'shell', args: { script: command } });
    expect(c.note).toContain(why);
  });
});
