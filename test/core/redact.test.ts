import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, secretValues } from '../../src/core/redact.js';

describe('redact', () => {
  it('hides credential headers in curl -v transcripts, keeping the auth scheme and the CRLF', () => {
    const transcript = [
      '> POST /v2/models/iris/infer HTTP/1.1\r',
      '> Host: 172.21.255.1\r',
      '> Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig\r',
      '> Cookie: session=abc123; theme=dark\r',
      '> Proxy-Authorization: Basic dXNlcjpwYXNz\r',
      '> x-api-key: k-98765\r',
      '>\r',
      '< HTTP/1.1 200 OK\r',
      '< set-cookie: sid=zzz; Path=/\r',
      '< content-type: application/json\r',
    ].join('\n');
    expect(redact(transcript)).toBe(
      [
        '> POST /v2/models/iris/infer HTTP/1.1\r',
        '> Host: 172.21.255.1\r',
        '> Authorization: Bearer [REDACTED]\r',
        '> Cookie: [REDACTED]\r',
        '> Proxy-Authorization: Basic [REDACTED]\r',
        '> x-api-key: [REDACTED]\r',
        '>\r',
        '< HTTP/1.1 200 OK\r',
        '< set-cookie: [REDACTED]\r',
        '< content-type: application/json\r',
      ].join('\n'),
    );
  });

  it('hides header values in command text, whatever the quoting', () => {
    expect(redact(`curl -H 'Authorization: Bearer abc' -H "Cookie: a=b" http://x/`)).toBe(`curl -H 'Authorization: Bearer [REDACTED]' -H "Cookie: [REDACTED]" http://x/`);
    expect(redact(`curl --header="X-API-Key: k1" http://x`)).toBe(`curl --header="X-API-Key: [REDACTED]" http://x`);
    expect(redact('curl -H "Content-Type: application/json" -H "Host: iris"')).toBe('curl -H "Content-Type: application/json" -H "Host: iris"');
  });

  it('keeps variable references, which are not secrets', () => {
    expect(redact('curl -H "Authorization: Bearer $TOKEN" http://x')).toBe('curl -H "Authorization: Bearer $TOKEN" http://x');
    expect(redact('export API_TOKEN=$(kubectl get secret t -o jsonpath={.data.token})')).toContain('API_TOKEN=$(kubectl');
  });

  it('hides the password of -u user:password and of URL credentials', () => {
    expect(redact('curl -u admin:hunter2 http://x')).toBe('curl -u admin:[REDACTED] http://x');
    expect(redact('curl --user=admin:hunter2 http://x')).toBe('curl --user=admin:[REDACTED] http://x');
    expect(redact("curl -u 'admin:hunter2' http://x")).toBe("curl -u 'admin:[REDACTED]' http://x");
    expect(redact('git clone https://bob:s3cret@example.com/repo.git')).toBe('git clone https://bob:[REDACTED]@example.com/repo.git');
    expect(redact('curl http://127.0.0.1:8080/v2/models')).toBe('curl http://127.0.0.1:8080/v2/models');
  });

  it('hides grpcurl metadata whose name looks like a token, not other metadata', () => {
    expect(redact(`grpcurl -H 'x-auth-token: t0k3n' -H 'seldon-model: iris' -plaintext 127.0.0.1:80 m`)).toBe(
      `grpcurl -H 'x-auth-token: [REDACTED]' -H 'seldon-model: iris' -plaintext 127.0.0.1:80 m`,
    );
    expect(redact(`grpcurl -rpc-header 'session-id: 42abc' -reflect-header 'api_key: k' x`)).toBe(
      `grpcurl -rpc-header 'session-id: [REDACTED]' -reflect-header 'api_key: [REDACTED]' x`,
    );
  });

  it('hides kubeconfig tokens and client keys, and Secret-style YAML and JSON values', () => {
    const kubeconfig = [
      'users:',
      '- name: admin',
      '  user:',
      '    client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t',
      '    token: eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9.eyJpc3MiOiJrIn0.c2ln',
      'contexts: []',
    ].join('\n');
    const out = redact(kubeconfig);
    expect(out).toContain('    client-key-data: [REDACTED]');
    expect(out).toContain('    token: [REDACTED]');
    expect(out).not.toContain('LS0t');
    expect(out).toContain('- name: admin');
    expect(redact('{"token":"abc.def","user":"bob"}')).toBe('{"token":"[REDACTED]","user":"bob"}');
    expect(redact('  password: "p@ss"')).toBe('  password: "[REDACTED]"');
    expect(redact('data:\n  tls.key: LS0tLS1CRUdJTg==\n  tls.crt: LS0tQ0VSVA==')).toBe('data:\n  tls.key: [REDACTED]\n  tls.crt: LS0tQ0VSVA==');
    expect(redact('      privateKey: /etc/istio/ingressgateway-certs/tls.key')).toBe('      privateKey: /etc/istio/ingressgateway-certs/tls.key');
    expect(redact('        client-secret: abcdef')).toBe('        client-secret: [REDACTED]');
    // References and empty keys stay.
    expect(redact('secret:\n  secretName: seldon-tls')).toBe('secret:\n  secretName: seldon-tls');
  });

  it('hides values assigned to secret-looking variable names', () => {
    expect(redact('export API_TOKEN=abc123 && DB_PASSWORD="x y" ./run')).toBe('export API_TOKEN=[REDACTED] && DB_PASSWORD="[REDACTED]" ./run');
    expect(redact('kubectl create secret generic s --from-literal=password=hunter2')).toBe('kubectl create secret generic s --from-literal=password=[REDACTED]');
    expect(redact('kubectl --token=abc get pods')).toBe('kubectl --token=[REDACTED] get pods');
    expect(redact('INGRESS_IP=172.21.255.1 MODEL=iris')).toBe('INGRESS_IP=172.21.255.1 MODEL=iris');
  });

  it('hides the values of secret variables wherever they appear, longest first', () => {
    const secrets = secretValues({ GITHUB_TOKEN: 'ghp_abcdef123456', MY_SECRET: 'ghp_abcdef', API_KEY: 'k', HOME: '/root', PASSWORD: '  hunter22  ' });
    expect(secrets).toEqual(['ghp_abcdef123456', 'ghp_abcdef', 'hunter22']);
    expect(redact('pushed with ghp_abcdef123456 and ghp_abcdef, then hunter22 (/root)', secrets)).toBe(
      'pushed with [REDACTED] and [REDACTED], then [REDACTED] (/root)',
    );
    expect(redact('a.b*c (x)', ['a.b*c (x)'])).toBe('[REDACTED]');
  });

  it('leaves a runbook without credentials untouched (no false positives on the istio runbook)', () => {
    const text = readFileSync(new URL('../../runbooks/istio.md', import.meta.url), 'utf8');
    expect(redact(text)).toBe(text);
  });

  it('is idempotent and leaves no secret value behind', () => {
    const piece = fc.constantFrom(
      'Authorization: Bearer x',
      '-u a:b',
      'TOKEN=abc',
      "-H 'x-token: 1'",
      'token: eyJ',
      'https://u:p@h/',
      '"',
      "'",
      ' ',
      '\n',
      '\r\n',
      '> ',
      '=',
      ':',
      'secret',
      '[REDACTED]',
      '$X',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 12 }), fc.array(fc.string({ minLength: 4, maxLength: 8 }), { maxLength: 2 }), (parts, secrets) => {
        const text = parts.join('');
        const once = redact(text, secrets);
        expect(redact(once, secrets)).toBe(once);
        for (const s of secrets) if (!'[REDACTED]'.includes(s)) expect(once.includes(s)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
