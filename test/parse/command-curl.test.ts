import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../../src/parse/command.js';
import type { CurlArgs } from '../../src/core/model.js';

const URL = 'http://${INGRESS_IP}/v2/models/iris/infer';

function curl(over: Partial<CurlArgs> = {}): { kind: 'curl'; args: CurlArgs } {
  return {
    kind: 'curl',
    args: {
      url: URL,
      headers: [],
      data: [],
      verbose: false,
      silent: false,
      showError: false,
      include: false,
      head: false,
      location: false,
      insecure: false,
      fail: false,
      connectTo: [],
      resolve: [],
      http2PriorKnowledge: false,
      ...over,
    },
  };
}

describe('curl', () => {
  it.each<[string, Partial<CurlArgs>]>([
    [`curl ${URL}`, {}],
    [`curl "${URL}"`, {}],
    [`curl --url ${URL}`, {}],
    ['curl http://$INGRESS_IP/v2', { url: 'http://$INGRESS_IP/v2' }],
    // Single quotes: bash expands nothing, so neither does the step.
    ["curl 'http://${INGRESS_IP}/v2'", { url: 'http://$${INGRESS_IP}/v2' }],
    ['curl http://x/?a=1', { url: 'http://x/?a=1' }],
    [`curl -v ${URL}`, { verbose: true }],
    [`curl --verbose ${URL}`, { verbose: true }],
    [`curl -s ${URL}`, { silent: true }],
    [`curl --silent ${URL}`, { silent: true }],
    [`curl -S ${URL}`, { showError: true }],
    [`curl --show-error ${URL}`, { showError: true }],
    [`curl -sS ${URL}`, { silent: true, showError: true }],
    [`curl -sv ${URL}`, { silent: true, verbose: true }],
    [`curl -sSLkf ${URL}`, { silent: true, showError: true, location: true, insecure: true, fail: true }],
    [`curl -i ${URL}`, { include: true }],
    [`curl --include ${URL}`, { include: true }],
    [`curl -I ${URL}`, { head: true }],
    [`curl --head ${URL}`, { head: true }],
    [`curl -L ${URL}`, { location: true }],
    [`curl --location ${URL}`, { location: true }],
    [`curl -k ${URL}`, { insecure: true }],
    [`curl --insecure ${URL}`, { insecure: true }],
    [`curl -f ${URL}`, { fail: true }],
    [`curl --fail ${URL}`, { fail: true }],
    [`curl -X POST ${URL}`, { method: 'POST' }],
    [`curl -XPOST ${URL}`, { method: 'POST' }],
    [`curl --request PUT ${URL}`, { method: 'PUT' }],
    [`curl -sXDELETE ${URL}`, { silent: true, method: 'DELETE' }],
    [`curl -X GET -X POST ${URL}`, { method: 'POST' }],
    [`curl -H 'Content-Type: application/json' ${URL}`, { headers: ['Content-Type: application/json'] }],
    [`curl -H "A: b" --header 'C: d' -H"E: \${TOKEN}" ${URL}`, { headers: ['A: b', 'C: d', 'E: ${TOKEN}'] }],
    [`curl ${URL} -d '{"a": 1}'`, { data: [{ flag: 'data', value: '{"a": 1}' }] }],
    [`curl ${URL} --data @payload.json`, { data: [{ flag: 'data', value: '@payload.json' }] }],
    [`curl ${URL} --data-ascii x`, { data: [{ flag: 'data', value: 'x' }] }],
    [`curl ${URL} --data-raw '@x'`, { data: [{ flag: 'data-raw', value: '@x' }] }],
    [`curl ${URL} --data-binary @f.bin`, { data: [{ flag: 'data-binary', value: '@f.bin' }] }],
    [`curl ${URL} --data-urlencode 'q=a b'`, { data: [{ flag: 'data-urlencode', value: 'q=a b' }] }],
    [
      `curl ${URL} --data-raw a -d b --data-binary c -dd`,
      { data: [{ flag: 'data-raw', value: 'a' }, { flag: 'data', value: 'b' }, { flag: 'data-binary', value: 'c' }, { flag: 'data', value: 'd' }] },
    ],
    [`curl -d -d ${URL}`, { data: [{ flag: 'data', value: '-d' }] }],
    [`curl -o /dev/null ${URL}`, { output: '/dev/null' }],
    [`curl --output out.json ${URL}`, { output: 'out.json' }],
    [`curl -sSo out ${URL}`, { silent: true, showError: true, output: 'out' }],
    [`curl -w '%{http_code}' ${URL}`, { writeOut: '%{http_code}' }],
    [`curl --write-out "%{http_code}\\n" ${URL}`, { writeOut: '%{http_code}\\n' }],
    [`curl -u user:pass ${URL}`, { user: 'user:pass' }],
    [`curl --user \${USER}:\${PASS} ${URL}`, { user: '${USER}:${PASS}' }],
    [`curl --connect-to a:80:127.0.0.1:8080 --connect-to ::b: ${URL}`, { connectTo: ['a:80:127.0.0.1:8080', '::b:'] }],
    [`curl --resolve a:80:127.0.0.1 ${URL}`, { resolve: ['a:80:127.0.0.1'] }],
    [`curl -m 5 ${URL}`, { maxTimeSec: 5 }],
    [`curl -m5 ${URL}`, { maxTimeSec: 5 }],
    [`curl --max-time 2.5 ${URL}`, { maxTimeSec: 2.5 }],
    [`curl --connect-timeout 3 ${URL}`, { connectTimeoutSec: 3 }],
    [`curl --http2-prior-knowledge ${URL}`, { http2PriorKnowledge: true }],
    [
      `curl -v ${URL} -H "Content-Type: application/json" \\\n        -d '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}'`,
      {
        verbose: true,
        headers: ['Content-Type: application/json'],
        data: [{ flag: 'data', value: '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}' }],
      },
    ],
    [`curl -d "{\\"a\\": \\"\${X}\\"}" ${URL}`, { data: [{ flag: 'data', value: '{"a": "${X}"}' }] }],
    [`curl -d '$NOT_A_REF' ${URL}`, { data: [{ flag: 'data', value: '$$NOT_A_REF' }] }],
    [`curl -d "\\$ESCAPED" ${URL}`, { data: [{ flag: 'data', value: '$$ESCAPED' }] }],
    [`curl -d "\${X:-default}" ${URL}`, { data: [{ flag: 'data', value: '${X:-default}' }] }],
  ])('%s', (command, over) => {
    expect(classifyCommand(command)).toEqual(curl(over));
  });

  it.each([
    [`curl --compressed ${URL}`, 'curl flag --compressed'],
    [`curl -G ${URL}`, 'curl flag -G'],
    [`curl -sG ${URL}`, 'curl flag -G'],
    [`curl -F a=b ${URL}`, 'curl flag -F'],
    [`curl --json '{}' ${URL}`, 'curl flag --json'],
    [`curl --max-time=5 ${URL}`, 'curl flag --max-time=5'],
    [`curl -m five ${URL}`, 'not a number of seconds'],
    [`curl -m \${T} ${URL}`, 'not a number of seconds'],
    [`curl --connect-timeout -1 ${URL}`, 'not a number of seconds'],
    [`curl ${URL} -H`, 'needs a value'],
    ['curl', 'no URL'],
    ['curl -s', 'no URL'],
    [`curl ${URL} http://other`, 'several URLs'],
    [`curl --url a ${URL}`, 'several URLs'],
    [`curl -s ${URL} | jq .`, 'curl output is piped into another command'],
    [`curl -s ${URL} > out.json`, "'>'"],
  ])('%s falls back', (command, why) => {
    const c = classifyCommand(command);
    expect(c).toMatchObject({ kind: 'shell', args: { script: command } });
    expect(c.note).toContain(why);
  });
});
