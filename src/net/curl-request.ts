/**
 * Turns typed curl arguments into the exact request curl 7.88 would send: method, URL, headers in curl's order, body.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CurlArgs, CurlData } from '../core/model.js';

export const CURL_VERSION = '7.88.1';

export interface CurlRequest {
  url: URL;
  method: string;
  /** Header lines as sent, names as written, in curl's order (Host first). */
  headers: [string, string][];
  body?: Buffer;
  /** Lines curl prints to stderr before the transfer (`Warning: …`), shown unless `-s`. */
  warnings: string[];
  /** The `-u` user name, for the `* Server auth using Basic with user '…'` line. */
  authUser?: string;
}

/** A failure curl reports as `curl: (code) message`. */
export class CurlFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** `scheme://` defaults to http:// when missing, as curl guesses it. */
export function parseCurlUrl(text: string): URL {
  // curl refuses spaces and control characters in a URL; WHATWG parsing would silently drop or encode them.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f]/.test(text)) throw new CurlFailure(3, 'URL using bad/illegal format or missing URL');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CurlFailure(3, 'URL using bad/illegal format or missing URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CurlFailure(1, `Protocol "${url.protocol.slice(0, -1)}" not supported or disabled in libcurl`);
  }
  url.hash = '';
  return url;
}

/** curl_easy_escape plus `+` for spaces, as `--data-urlencode` encodes. */
function urlencode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

async function readDataFile(name: string, cwd: string, warnings: string[]): Promise<Buffer> {
  if (name === '-') throw new CurlFailure(26, 'reading data from stdin (@-) is not supported by runbook');
  try {
    return await readFile(resolve(cwd, name));
  } catch {
    warnings.push(`Warning: Couldn't read data from file "${name}", this makes an empty POST.`);
    return Buffer.alloc(0);
  }
}

async function dataPart(part: CurlData, cwd: string, warnings: string[]): Promise<Buffer> {
  const { flag, value } = part;
  if (flag === 'data-raw') return Buffer.from(value);
  if (flag === 'data-urlencode') {
    const at = value.indexOf('@');
    const eq = value.indexOf('=');
    if (at >= 0 && (eq < 0 || at < eq)) {
      const content = (await readDataFile(value.slice(at + 1), cwd, warnings)).toString();
      const name = value.slice(0, at);
      return Buffer.from(name === '' ? urlencode(content) : `${name}=${urlencode(content)}`);
    }
    if (eq < 0) return Buffer.from(urlencode(value));
    const name = value.slice(0, eq);
    return Buffer.from(name === '' ? urlencode(value.slice(1)) : `${name}=${urlencode(value.slice(eq + 1))}`);
  }
  if (!value.startsWith('@')) return Buffer.from(value);
  const bytes = await readDataFile(value.slice(1), cwd, warnings);
  // -d/--data drop carriage returns and newlines from files; --data-binary keeps every byte.
  return flag === 'data' ? Buffer.from(bytes.toString('latin1').replace(/[\r\n]/g, ''), 'latin1') : bytes;
}

function hostHeader(url: URL): string {
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  return url.port === '' || url.port === defaultPort ? url.hostname : `${url.hostname}:${url.port}`;
}

/** Builds the request; `args` must already have its variables substituted. */
export async function buildCurlRequest(args: CurlArgs, cwd: string): Promise<CurlRequest> {
  const url = parseCurlUrl(args.url);
  const warnings: string[] = [];
  const parts = await Promise.all(args.data.map((d) => dataPart(d, cwd, warnings)));
  const body = parts.length > 0 ? Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from('&'), p]))) : undefined;
  const method = args.method ?? (args.head ? 'HEAD' : body !== undefined ? 'POST' : 'GET');

  // -H lines: `Name: value` replaces curl's own header, `Name:` removes it, `Name;` sends it empty.
  const custom: [string, string][] = [];
  const overridden = new Set<string>();
  for (const line of args.headers) {
    // curl would send the text after a line break as more header lines: a value (often from a variable) must
    // not add headers, so say so instead of sending it or silently dropping it.
    if (/[\r\n]/.test(line)) {
      const [name = ''] = line.split(/[:;\r\n]/);
      throw new CurlFailure(43, `header ${JSON.stringify(name.trim())} holds a line break; runbook does not send it`);
    }
    const m = /^([^:;]+)([:;])\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, name = '', sep, value = ''] = m;
    const key = name.trim().toLowerCase();
    overridden.add(key);
    if (sep === ':' && value === '') continue;
    custom.push([name.trim(), sep === ';' ? '' : value]);
  }

  const headers: [string, string][] = [];
  const hostOverride = custom.find(([n]) => n.toLowerCase() === 'host');
  if (!overridden.has('host') || hostOverride) headers.push(['Host', hostOverride?.[1] ?? hostHeader(url)]);
  let authUser: string | undefined;
  // An -H Authorization (even `Authorization:` alone) replaces what -u would send, as in curl.
  if (args.user !== undefined && !overridden.has('authorization')) {
    const colon = args.user.indexOf(':');
    authUser = colon < 0 ? args.user : args.user.slice(0, colon);
    const pass = colon < 0 ? '' : args.user.slice(colon + 1);
    headers.push(['Authorization', `Basic ${Buffer.from(`${authUser}:${pass}`).toString('base64')}`]);
  }
  if (!overridden.has('user-agent')) headers.push(['User-Agent', `curl/${CURL_VERSION}`]);
  if (!overridden.has('accept')) headers.push(['Accept', '*/*']);
  headers.push(...custom.filter(([n]) => n.toLowerCase() !== 'host'));
  if (body !== undefined) {
    if (!overridden.has('content-length')) headers.push(['Content-Length', String(body.length)]);
    if (!overridden.has('content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  }
  return { url, method, headers, body, warnings, authUser };
}
