import { stringify } from 'yaml';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { needs } from '../../tools.js';
import { GATEWAY, says, startIstioCluster, virtualService, type IstioCluster } from './istio-cluster.js';

const DENIED = 'admission webhook "validation.istio.io" denied the request: configuration is invalid:';
const yaml = (object: object) => stringify(object);

/** What the sandbox's ingress cannot do exactly fails at `kubectl apply`, as Istio's validating webhook fails what Istio rejects. */
needs('kubectl 1.32', 'curl').describe('VirtualService admission (validation.istio.io)', () => {
  let cluster: IstioCluster;
  beforeAll(async () => {
    cluster = await startIstioCluster();
    await cluster.apply(GATEWAY);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test('rejects out-of-scope features and invalid rules on create, with the webhook\'s message, and stores nothing', async () => {
    const cases: Array<[string, unknown[], string]> = [
      ['cors', [{ corsPolicy: { allowOrigins: [{ exact: 'https://a.example' }] }, ...says('x') }], 'corsPolicy is not supported by the runbook sandbox (http[0])'],
      ['both', [{ route: [{ destination: { host: 'a' } }], redirect: { uri: '/b' } }], 'HTTP route cannot contain both route and redirect'],
      ['retry-on', [{ route: [{ destination: { host: 'a' } }], retries: { attempts: 2, retryOn: '5xx,sometimes' } }], '"sometimes" is not a valid retryOn policy'],
      ['zero', [{ route: [{ destination: { host: 'a' } }], timeout: '0s' }], 'duration must be greater than 1ms'],
      ['subset', [{ route: [{ destination: { host: 'a', subset: 'v1' } }] }], 'destination subset (DestinationRules are not emulated) is not supported by the runbook sandbox (http[0])'],
    ];
    const results = await Promise.all(cases.map(([name, http]) => cluster.kubectl(['apply', '-f', '-'], yaml(virtualService(name, ['*'], http)))));
    for (const [index, [, , message]] of cases.entries()) {
      expect(results[index]).toMatchObject({ code: 1, stdout: '', stderr: `Error from server: error when creating "STDIN": ${DENIED} ${message}\n` });
    }
    const listed = await cluster.kubectl(['get', 'virtualservices', '-o', 'name']);
    expect(listed.stdout).toBe('');
  });

  test('lists several problems as one denial, and rejects TCP routes and server-side dry runs alike', async () => {
    const vs = virtualService('many', [], [{ delegate: { name: 'other' } }]);
    const tcp = { ...virtualService('tcp', ['*'], []), spec: { hosts: ['*'], gateways: ['gw'], tcp: [{ route: [{ destination: { host: 'db' } }] }] } };
    const [many, dryRun] = await Promise.all([
      cluster.kubectl(['apply', '-f', '-'], yaml(vs)),
      cluster.kubectl(['apply', '--dry-run=server', '-f', '-'], yaml(tcp)),
    ]);
    expect(many.stderr).toBe(
      `Error from server: error when creating "STDIN": ${DENIED} 2 errors occurred:\n\t* virtual service must have at least one host\n\t* delegate is not supported by the runbook sandbox (http[0])\n\n`,
    );
    expect(dryRun).toMatchObject({ code: 1, stderr: `Error from server: error when creating "STDIN": ${DENIED} tcp routes are not supported by the runbook sandbox\n` });
  });

  test('an update that breaks a served VirtualService is refused and the old routes keep answering', async () => {
    await cluster.apply(virtualService('served', ['served.example.com'], [says('still here')]));
    const broken = virtualService('served', ['served.example.com'], [{ ...says('x'), fault: { abort: { httpStatus: 503, percentage: { value: 150 } } } }]);
    const refused = await cluster.kubectl(['apply', '-f', '-'], yaml(broken));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error when patching "STDIN": ${DENIED} percentage 150 is not in range [0, 100]\n`);
    expect((await cluster.http('http://served.example.com/')).body).toBe('still here');
  });
});
