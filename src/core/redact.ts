/**
 * Keeps credentials out of everything runbook prints or writes. The runner's fan-out (src/runner/fanout.ts) calls
 * `redact` on every string of every event before any reporter sees it (command, output, expected, actual, diff,
 * diagnostics, errors), so a token that reached a step's output, a curl transcript or a kubeconfig dump shows as
 * `[REDACTED]` on the terminal and in report files, whatever the reporter.
 */

export const REDACTED = '[REDACTED]';

/** Variable names that hold credentials: `*TOKEN*`, `*PASSWORD*`, `*SECRET*`, `*KEY*` (and `PASSWD`). */
const SECRET_NAME = /TOKEN|PASSWORD|PASSWD|SECRET|KEY/i;

/**
 * Replacing a one- or two-character value everywhere would wreck the output while protecting nothing a reader
 * could not guess, so shorter values are not treated as secrets.
 */
const MIN_SECRET_LENGTH = 4;

/** True when a variable name looks like it holds a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The values of the variables whose names look secret, longest first, ready for `redact`. */
export function secretValues(vars: Readonly<Record<string, string>>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(vars)) {
    if (!isSecretName(name)) continue;
    const trimmed = value.trim();
    if (trimmed.length >= MIN_SECRET_LENGTH) values.add(trimmed);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** Header names whose values are credentials wherever `Name: value` appears (transcripts, YAML, prose). */
const SECRET_HEADER = String.raw`authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token`;

/** Names of `-H` headers and grpcurl metadata that look like they carry a token. */
const TOKENISH_HEADER = /token|secret|passw|api[-_]?key|auth|cookie|session|credential/i;

/**
 * Keys in YAML or JSON (kubeconfigs, Secrets) whose values are credentials; `tls.key` and other `*.key` entries
 * are the private keys in a Secret's data (while `privateKey: /path` in a Gateway is a path and stays).
 */
const SECRET_KEY = String.raw`token|id-token|refresh-token|access-token|client-key-data|client-secret|password|passwd|secret|api-key|apiKey|x-api-key|[\w-]+\.key`;

/** Auth schemes kept in front of a redacted credential so the reader still sees how the request authenticated. */
const SCHEMES = /^(Bearer|Basic|Digest|Token|Negotiate|NTLM|AWS4-HMAC-SHA256)\s+/i;

/** Values that are references, not secrets: a variable, a command substitution, an IPython `!cmd`. */
const isReference = (value: string) => /^[$`!]/.test(value) || value === REDACTED;

function redactValue(value: string): string {
  if (value.length === 0 || isReference(value)) return value;
  const scheme = SCHEMES.exec(value);
  if (scheme) {
    const rest = value.slice(scheme[0].length);
    return rest.length === 0 || isReference(rest) ? value : scheme[0] + REDACTED;
  }
  return REDACTED;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One side of a matcher's path diff: `"Bearer x"`, `(missing)`, `{…}`. */
function redactDiffSide(side: string): string {
  if (side === '(missing)') return side;
  const quoted = /^"(.*)"$/.exec(side);
  return quoted ? `"${redactValue(quoted[1]!)}"` : redactValue(side);
}

const patterns: { re: RegExp; replace: (...groups: string[]) => string }[] = [
  // A matcher's path diff, `body.headers.authorization: expected "Bearer a", got "Bearer b"`: both sides.
  {
    re: new RegExp(String.raw`(\.(?:${SECRET_HEADER}|${SECRET_KEY}|[\w-]*(?:token|secret|passw)[\w-]*)): expected (.*?), got (.*?)\r?$`, 'gim'),
    replace: (_m, at, expected, got) => `${at}: expected ${redactDiffSide(expected)}, got ${redactDiffSide(got)}`,
  },
  // `> Authorization: Bearer x` in a curl -v transcript, `Cookie: a=b` anywhere, `"authorization": "x"` in JSON.
  // The value ends at a quote (command text: -H 'Authorization: …') or the end of the line (CR kept).
  {
    re: new RegExp(String.raw`(^[+-]?|[\s'"(>{,])("?)(${SECRET_HEADER})\2(\s*:\s*)("?)([^'"\r\n]*)`, 'gim'),
    replace: (_m, lead, q, name, sep, vq, value) => `${lead}${q}${name}${q}${sep}${vq}${redactValue(value.trimEnd())}${value.slice(value.trimEnd().length)}`,
  },
  // `-H 'x-session-token: …'`, grpcurl `-H 'auth-token: …'` / `-rpc-header`: a header named like a token.
  {
    re: /(-H|--header|-{1,2}rpc-header|-{1,2}reflect-header|--proxy-header)(\s+|=)(['"]?)([A-Za-z0-9_.-]+)(\s*:\s*)([^'"\r\n]*)/g,
    replace: (m, flag, gap, q, name, sep, value) =>
      TOKENISH_HEADER.test(name) ? `${flag}${gap}${q}${name}${sep}${redactValue(value.trimEnd())}${value.slice(value.trimEnd().length)}` : m,
  },
  // `-u user:password`, `--user=user:pass`, `--proxy-user`: keep the user, hide the password.
  {
    re: /(^|\s)(-u|--user|--proxy-user|-U)(\s+|=)(['"]?)([^\s:'"]*):([^\s'"]+)/g,
    replace: (_m, lead, flag, gap, q, user, password) => `${lead}${flag}${gap}${q}${user}:${redactValue(password)}`,
  },
  // Credentials inside a URL: https://user:password@host.
  {
    re: /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@'"]+):([^/\s@'"]+)@/gi,
    replace: (_m, prefix, password) => `${prefix}:${redactValue(password)}@`,
  },
  // `--token=x`, `--token x`, `--password x` (kubectl, helm, docker login).
  {
    re: /(--(?:token|password|client-key-data|api-key|auth-token))(\s+|=)(['"]?)([^\s'"]+)/g,
    replace: (_m, flag, gap, q, value) => `${flag}${gap}${q}${redactValue(value)}`,
  },
  // Kubeconfig and Secret YAML/JSON: `token: eyJ…`, `client-key-data: LS0t…`, `"password": "x"`; also in a
  // parser's excerpt of the file, whose lines start with a ` 9 | ` gutter.
  {
    re: new RegExp(String.raw`(^[+-]?[ \t]*(?:\d+[ \t]*\|[ \t]*)?(?:-[ \t]+)?|[{,][ \t]*)("?)(${SECRET_KEY})\2([ \t]*:[ \t]*)("?)([^"\r\n]*)`, 'gim'),
    replace: (m, lead, q, key, sep, vq, value) => {
      const v = value.replace(/[ \t]*,?[ \t]*$/, '');
      return v.length === 0 ? m : `${lead}${q}${key}${q}${sep}${vq}${redactValue(v)}${value.slice(v.length)}`;
    },
  },
  // `export API_TOKEN=abc`, `DB_PASSWORD='x' cmd`, `--from-literal=password=x`: assignments to secret-looking names.
  {
    re: /(^[+-]?|[\s;&|(=])([A-Za-z_][A-Za-z0-9_]*)=("[^"\n]*"|'[^'\n]*'|[^\s;&|)'"]+)/gm,
    replace: (m, lead, name, value) => {
      if (!isSecretName(name)) return m;
      const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
      const inner = quote ? value.slice(1, -1) : value;
      if (inner.length === 0 || isReference(inner)) return m;
      return `${lead}${name}=${quote}${REDACTED}${quote}`;
    },
  },
];

/**
 * `text` with every secret value and every credential-shaped pattern replaced by `[REDACTED]`. Idempotent, so a
 * string that was redacted once (e.g. a StepReport's `actual`) can go through it again.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  const values = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH && s !== REDACTED);
  if (values.length > 0) {
    // Longest first, so a secret that contains another is replaced whole.
    const sorted = [...new Set(values)].sort((a, b) => b.length - a.length);
    out = out.replace(new RegExp(sorted.map(escapeRegExp).join('|'), 'g'), REDACTED);
  }
  for (const { re, replace } of patterns) {
    out = out.replace(re, replace as (substring: string, ...args: unknown[]) => string);
  }
  return out;
}
