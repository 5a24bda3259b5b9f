import { afterAll, beforeAll, expect, test } from 'vitest';
import { needs } from '../../tools.js';
import { request, startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

/** kubectl lays out explain itself (KIND/VERSION/FIELD/DESCRIPTION); the types and descriptions come from the server. */
needs('kubectl 1.32').describe('kubectl explain from the served OpenAPI documents', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => {
    await sb.stop();
  });

  test('v3: built-in fields carry their Go type names, descriptions and required marks', async () => {
    const [replicas, ports, limits, vs] = await Promise.all([
      sb.kubectl(['explain', 'deployment.spec.replicas']),
      sb.kubectl(['explain', 'svc.spec.ports']),
      sb.kubectl(['explain', 'deploy.spec.template.spec.containers.resources.limits']),
      sb.kubectl(['explain', 'virtualservice.spec']),
    ]);
    expect(replicas).toMatchObject({ code: 0, stderr: '' });
    expect(replicas.stdout).toBe(
      [
        'GROUP:      apps',
        'KIND:       Deployment',
        'VERSION:    v1',
        '',
        'FIELD: replicas <integer>',
        '',
        '',
        'DESCRIPTION:',
        '    Number of desired pods. This is a pointer to distinguish between explicit',
        '    zero and not specified. Defaults to 1.',
        '    ',
        '',
        '',
      ].join('\n'),
    );
    expect(ports.stdout).toMatch(/^KIND:\s+Service\nVERSION:\s+v1\n\nFIELD: ports <\[\]ServicePort>\n/);
    expect(ports.stdout).toContain('  port\t<integer> -required-\n');
    expect(ports.stdout).toContain('  targetPort\t<IntOrString>\n');
    expect(ports.stdout).toContain('  protocol\t<string>\n  enum: SCTP, TCP, UDP\n');
    expect(limits.stdout).toContain('FIELD: limits <map[string]Quantity>');
    // A CRD's schema is inline, so its nested objects are <Object>, as on a real cluster.
    expect(vs.stdout).toMatch(/^GROUP:\s+networking\.istio\.io\nKIND:\s+VirtualService\nVERSION:\s+v1\n\nFIELD: spec <Object>\n/);
    expect(vs.stdout).toContain('  http\t<[]Object>\n    An ordered list of HTTP route rules.\n');
  });

  test('v2: kubectl reads the protobuf document for plaintext-openapiv2; JSON for JSON clients', async () => {
    const [replicas, model, json] = await Promise.all([
      sb.kubectl(['explain', '--output=plaintext-openapiv2', 'deployment.spec.replicas']),
      sb.kubectl(['explain', '--output=plaintext-openapiv2', 'model.spec.storageUri']),
      request(sb, 'GET', '/openapi/v2'),
    ]);
    expect(replicas.stderr).toBe('');
    expect(replicas.stdout).toMatch(/^KIND:\s+Deployment\nVERSION:\s+apps\/v1\n\nFIELD:\s+replicas <integer>\n\nDESCRIPTION:\n\s+Number of desired pods\./);
    expect(model.stdout).toMatch(/^KIND:\s+Model\nVERSION:\s+mlops\.seldon\.io\/v1alpha1\n\nFIELD:\s+storageUri <string>\n/);
    const defs = (json.json as { definitions: Record<string, Record<string, unknown>> }).definitions;
    expect(defs['io.k8s.api.apps.v1.Deployment']!['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect((defs['io.k8s.api.apps.v1.Deployment']!.properties as Record<string, unknown>).spec).toEqual({
      $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec',
      description: 'The desired behaviour of the Deployment.',
    });
  });

  test('v3 documents list every definition a built-in kind refers to', async () => {
    const index = (await request(sb, 'GET', '/openapi/v3')).json as { paths: Record<string, { serverRelativeURL: string }> };
    const apps = (await request(sb, 'GET', index.paths['apis/apps/v1']!.serverRelativeURL)).json as { components: { schemas: Record<string, unknown> } };
    const names = Object.keys(apps.components.schemas);
    for (const name of ['io.k8s.api.apps.v1.DeploymentSpec', 'io.k8s.api.core.v1.PodSpec', 'io.k8s.api.core.v1.Container', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']) {
      expect(names).toContain(name);
    }
  });
});
