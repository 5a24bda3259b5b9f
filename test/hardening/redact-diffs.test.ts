/**
 * Credentials in the shapes reports show them around diffs, found by the end-to-end secrets test: a matcher's
 * path diff, lines of a unified diff (a `+`/`-` marker before the key), and a YAML parser's excerpt (a `9 |`
 * gutter before the key).
 */
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/core/redact.js';

describe('redact around diffs', () => {
  it.each([
    ['body.headers.authorization: expected "Bearer old", got "Bearer tok123"', 'body.headers.authorization: expected "Bearer [REDACTED]", got "Bearer [REDACTED]"'],
    ['body.headers.x-api-key: expected "old1", got "key123"', 'body.headers.x-api-key: expected "[REDACTED]", got "[REDACTED]"'],
    ['headers.set-cookie: expected (missing), got "sid=1234"', 'headers.set-cookie: expected (missing), got "[REDACTED]"'],
    ['response.session_token: expected "a1b2c3", got {"v":1}', 'response.session_token: expected "[REDACTED]", got [REDACTED]'],
    ['+    token: kcTOKEN11', '+    token: [REDACTED]'],
    ['-    client-key-data: LS0tLS1CRUdJTg==', '-    client-key-data: [REDACTED]'],
    ['+> Authorization: Bearer abcdef', '+> Authorization: Bearer [REDACTED]'],
    ['+Cookie: sid=abcdef', '+Cookie: [REDACTED]'],
    ['+API_TOKEN=abcdef', '+API_TOKEN=[REDACTED]'],
    ['  9 |     token: abcdef', '  9 |     token: [REDACTED]'],
  ])('%s', (text, want) => {
    expect(redact(text)).toBe(want);
  });

  it.each([
    'body.model_name: expected "iris_1", got "iris2_1"',
    'headers.content-type: expected "application/json", got "text/plain"',
    '- name: u',
    '+model.mlops.seldon.io/iris created',
    '-  privateKey: /etc/istio/key.pem',
  ])('leaves %s alone', (text) => {
    expect(redact(text)).toBe(text);
  });
});
