/**
 * --verify-splits N: the traffic-split steps of the istio runbook follow their weights, and a route whose live
 * weights were changed behind the runbook's back (a shell `kubectl patch`) is caught by the chi-square check.
 */
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt, repo, runCli } from '../commands/run-cli.js';
import { readReport, tempDir } from './fixtures.js';

beforeAll(ensureBuilt);

const curlCell = (model: string) => `\`\`\`python
!curl -s http://\${INGRESS_IP}/v2/models/iris/infer -H "Content-Type: application/json" -d '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}'
\`\`\`

    {"model_name":"${model}_1","model_version":"1","id":"b54e6d8c-d253-4bb9-bb64-02c2ee49e89f","parameters":null,"outputs":[{"name":"predict","shape":[1],"datatype":"INT64","parameters":null,"data":[2]}]}
`;

function runbook(patchWeights: boolean): string {
  const patch = `\`\`\`python
!kubectl patch virtualservice iris-route -n seldon-mesh --type=json -p '[{"op":"replace","path":"/spec/http/0/route/0/weight","value":100},{"op":"replace","path":"/spec/http/0/route/1/weight","value":0}]'
\`\`\`

    virtualservice.networking.istio.io/iris-route patched
`;
  return `# Split

\`\`\`python
INGRESS_IP=!kubectl get svc istio-ingressgateway -n istio-system -o jsonpath='{.status.loadBalancer.ingress[0].ip}'
INGRESS_IP=INGRESS_IP[0]
import os
os.environ['INGRESS_IP'] = INGRESS_IP
\`\`\`

\`\`\`python
!kustomize build config/traffic-split | kubectl apply -f -
\`\`\`

    model.mlops.seldon.io/iris1 created
    model.mlops.seldon.io/iris2 created
    gateway.networking.istio.io/seldon-gateway created
    virtualservice.networking.istio.io/iris-route created

\`\`\`python
!kubectl wait --for condition=ready --timeout=30s model --all -n seldon-mesh
\`\`\`

    model.mlops.seldon.io/iris1 condition met
    model.mlops.seldon.io/iris2 condition met

${patchWeights ? patch : ''}
${curlCell('iris1')}`;
}

needs('kubectl').it.each([
  [false, 0],
  [true, 1],
])('with weights patched behind its back: %s → exit %i', async (patched, code) => {
  const dir = tempDir('runbook-splits-');
  cpSync(path.join(repo, 'runbooks'), dir, { recursive: true });
  const file = path.join(dir, 'split.md');
  writeFileSync(file, runbook(patched));
  const json = path.join(dir, 'report.json');
  const result = await runCli(['run', file, '--sandbox', '--verify-splits', '200', '--reporter', 'plain', '--reporter', `json=${json}`], {
    env: { NO_COLOR: '1' },
  });
  expect(result.code, result.stdout + result.stderr).toBe(code);
  const curl = readReport(json).runbooks[0]!.steps.at(-1) as { note?: string; error?: string; status: string };
  expect(curl.note).toMatch(/traffic split: 200 requests: iris1 \d+\.\d% \(want 50%\), iris2 \d+\.\d% \(want 50%\)/);
  if (patched) {
    expect(curl.status).toBe('failed');
    expect(curl.error).toMatch(/does not follow its weights.*iris1 100\.0%/);
  } else {
    expect(curl.status).toBe('passed');
  }
}, 90_000);
