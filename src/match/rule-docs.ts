/**
 * Every tolerance rule by name, with what it forgives and a pair of real-looking lines it accepts as the same:
 * the README's "Volatile values" table lists exactly these, and the tests judge each pair with the rule on and off.
 */
import type { StepKind } from '../core/model.js';

export interface RuleDoc {
  name: string;
  /** Where it applies: `every text` (every matcher, shell output too), or the producer that declares it. */
  scope: string;
  /** What varies, and why it may. */
  doc: string;
  /** A recorded output and a re-run's output that differ only in what the rule forgives. */
  recorded: string;
  rerun: string;
  /** The step the example is judged as (default a shell step running `command`). */
  kind?: StepKind;
  command?: string;
}

const EVERY = 'every text';

export const ruleCatalogue: readonly RuleDoc[] = [
  { name: 'ANSI', scope: EVERY, doc: 'colour and hyperlink escapes a terminal adds', recorded: '\x1b[1;32mready\x1b[0m', rerun: 'ready' },
  { name: 'CRLF', scope: EVERY, doc: 'line endings: `\\r\\n`, and `\\r\\r\\n` from a command run through a terminal', recorded: 'HTTP/1.1 200 OK\r\r\nserver: envoy\r\r\n', rerun: 'HTTP/1.1 200 OK\nserver: envoy\n' },
  { name: 'TRAILING', scope: EVERY, doc: 'spaces and tabs at the end of a line', recorded: 'iris   True  ', rerun: 'iris   True' },
  { name: 'JSON_SPACING', scope: EVERY, doc: "spaces between the tokens of JSON inside a line (Go's protojson adds them at random)", recorded: '{"name":"OUTPUT1", "datatype":"INT64", "shape":[1, 16]}', rerun: '{"name":"OUTPUT1","datatype":"INT64","shape":[1,16]}' },
  { name: 'CURL_TRACE', scope: EVERY, doc: "curl -v's own bookkeeping on `*` lines: timer ids, the transfer's address, connection numbers", recorded: '* Expire in 0 ms for 6 (transfer 0x5579448c94f0)\n* Connected to 172.18.255.1 (172.18.255.1) port 80 (#0)', rerun: '* Expire in 1 ms for 1 (transfer 0x55d0c2a8a4f0)\n* Connected to 172.18.255.1 (172.18.255.1) port 80 (#1)', command: 'curl -v http://172.18.255.1/v2/models/iris/ready 2>&1 | grep "^\\*"' },
  { name: 'LOG_TIME', scope: EVERY, doc: "Python logging's timestamps, milliseconds after a comma", recorded: "2022-10-10 08:40:20,849 - mlserver - INFO - Loaded model 'iris' succesfully.", rerun: "2023-06-14 17:27:04,102 - mlserver - INFO - Loaded model 'iris' succesfully." },
  { name: 'CTIME', scope: EVERY, doc: "ctime dates (helm's LAST DEPLOYED, `date`)", recorded: 'LAST DEPLOYED: Wed Jun 14 17:27:04 2023', rerun: 'LAST DEPLOYED: Mon Oct 10 08:40:20 2022' },
  { name: 'TIME_TAKEN', scope: EVERY, doc: 'the seconds a script says it took', recorded: 'Time taken: 0.45 seconds', rerun: 'Time taken: 0.51 seconds' },
  { name: 'XID', scope: EVERY, doc: "Seldon's ids: pipeline `uid`s, request ids of `pipeline inspect`, Kafka keys (20 characters of base32hex)", recorded: 'seldon.default.model.tfsimple1.outputs\tciep26qi8ufs73flaiqg\t{"outputs":[{"name":"OUTPUT0"}]}', rerun: 'seldon.default.model.tfsimple1.outputs\tcg5g6ogfh5ss73a44vvg\t{"outputs":[{"name":"OUTPUT0"}]}', command: 'seldon pipeline inspect tfsimple' },
  { name: 'ENVOY_TIME', scope: EVERY, doc: "envoy's `x-envoy-upstream-service-time`, also in the Seldon CLI's `--show-headers` form", recorded: 'Response header X-Envoy-Upstream-Service-Time:[11]', rerun: 'Response header X-Envoy-Upstream-Service-Time:[3]', command: 'seldon model infer iris --show-headers \'{}\'' },
  { name: 'SPLIT_TALLY', scope: EVERY, doc: 'how many of `seldon model infer -i N` each side of a traffic split answered (the routes must stay)', recorded: 'Success: map[:iris2_1::58 :iris_1::42]', rerun: 'Success: map[:iris2_1::48 :iris_1::52]', command: 'seldon model infer iris -i 100 \'{}\'' },
  { name: 'VERSION', scope: 'every text, and JSON by key', doc: "the `version` and `pipelineVersion` counters Seldon increments each time a cell loads the same pipeline again (JSON bodies too, by key)", recorded: '"pipelineVersion": 1,', rerun: '"pipelineVersion": 3,', command: 'seldon pipeline status tfsimples | jq -M .' },
  { name: 'DATE', scope: EVERY, doc: 'HTTP and ISO-8601 dates and times', recorded: 'date: Sat, 16 Apr 2022 15:34:11 GMT', rerun: 'date: Wed, 14 Jun 2023 17:27:04 GMT' },
  { name: 'UUID', scope: EVERY, doc: 'UUIDs (request ids in inference responses)', recorded: '"id": "83520c4a-c7f1-4363-9bfd-60c5d8ee2dc5",', rerun: '"id": "e37c4a5c-1f0f-4b3e-9a43-1b2b8e1b0a11",' },
  { name: 'RV', scope: EVERY, doc: "Kubernetes' resourceVersion", recorded: 'resourceVersion: "12345"', rerun: 'resourceVersion: "67890"' },
  { name: 'IP', scope: EVERY, doc: 'IPv4 and IPv6 addresses', recorded: '*   Trying 172.21.255.1:80...', rerun: '*   Trying 172.18.255.2:80...' },
  { name: 'PORT', scope: EVERY, doc: 'ports after an address, and random NodePorts', recorded: 'istio-ingressgateway   LoadBalancer   80:31380/TCP', rerun: 'istio-ingressgateway   LoadBalancer   80:30912/TCP' },
  { name: 'SUFFIX', scope: EVERY, doc: 'the random suffixes of generated names', recorded: 'pod/mlserver-7d9f8c6b5-x2x9k', rerun: 'pod/mlserver-6c8b9d7f4-q7w2z' },
  { name: 'DURATION', scope: EVERY, doc: 'ages and durations (`5s`, `3m2s`)', recorded: 'iris   True   5s', rerun: 'iris   True   12s' },
  { name: 'CURL_INTERLEAVE', scope: '`curl`', doc: "curl -v's stderr lines among the body's lines, or glued to its last line, where the terminal interleaved them", recorded: '< HTTP/1.1 200 OK\n<\n{"model_name":"iris_1"}* Connection #0 to host 172.18.255.1 left intact', rerun: '< HTTP/1.1 200 OK\n<\n{"model_name":"iris_1"}\n* Connection #0 to host 172.18.255.1 left intact', kind: 'curl' },
  { name: 'SHOW_HEADERS', scope: '`seldon … --show-headers`', doc: 'the order of `Request header` / `Response header` lines (the CLI ranges over a Go map)', recorded: 'Response header Content-Type:[application/json]\nResponse header Seldon-Model:[iris]', rerun: 'Response header Seldon-Model:[iris]\nResponse header Content-Type:[application/json]', command: 'seldon model infer iris --show-headers \'{}\'' },
  { name: 'HTTP_HEADERS', scope: 'commands running `curl`', doc: 'the order of HTTP response headers', recorded: 'HTTP/1.1 200 OK\ncontent-type: application/json\nseldon-route: :iris_1:', rerun: 'HTTP/1.1 200 OK\nseldon-route: :iris_1:\ncontent-type: application/json', command: 'curl -si http://172.18.255.1/v2/models/iris/ready' },
  { name: 'SERVER_LIST', scope: '`seldon server list`', doc: 'the order of the rows of `seldon server list`', recorded: 'server\t\tloaded models\n------\t\t-------------\nmlserver\t\t1\ntriton\t\t2', rerun: 'server\t\tloaded models\n------\t\t-------------\ntriton\t\t2\nmlserver\t\t1', command: 'seldon server list' },
];
