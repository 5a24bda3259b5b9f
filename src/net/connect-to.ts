/**
 * curl's `--connect-to HOST:PORT:HOST2:PORT2` and `--resolve HOST:PORT:ADDR` rules: parsing and matching.
 * The logical host and port stay in the URL and the Host header; only the socket goes elsewhere.
 */
import type { ConnectTo } from '../core/step.js';

/** Splits on ':' outside `[...]`, so IPv6 literals like `[::1]` survive. */
function splitFields(text: string): string[] {
  const fields: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ':' && depth === 0) {
      fields.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  fields.push(current);
  return fields;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Parses `HOST:PORT:HOST2:PORT2`; returns undefined when the text does not have four fields. */
export function parseConnectTo(text: string): ConnectTo | undefined {
  const fields = splitFields(text);
  if (fields.length !== 4) return undefined;
  const [host, port, toHost, toPort] = fields as [string, string, string, string];
  return { host: unbracket(host), port, toHost: unbracket(toHost), toPort };
}

/** One `--resolve HOST:PORT:ADDR[,ADDR…]` entry (a leading `+` is accepted and ignored). */
export interface ResolveRule {
  host: string;
  port: string;
  addresses: string[];
}

export function parseResolve(text: string): ResolveRule | undefined {
  const fields = splitFields(text.replace(/^\+/, ''));
  if (fields.length !== 3) return undefined;
  const [host, port, addresses] = fields as [string, string, string];
  return { host: unbracket(host), port, addresses: addresses.split(',').map(unbracket).filter((a) => a !== '') };
}

/** Where a socket for `host:port` really goes, and the rule that sent it there (undefined: unmapped). */
export interface DialTarget {
  host: string;
  port: number;
  rule?: ConnectTo;
}

/** The first rule whose host and port match (empty fields match anything), as curl applies them. */
export function mapTarget(host: string, port: number, rules: readonly ConnectTo[]): DialTarget {
  const wanted = unbracket(host).toLowerCase();
  for (const rule of rules) {
    if (rule.host !== '' && rule.host.toLowerCase() !== wanted) continue;
    if (rule.port !== '' && Number(rule.port) !== port) continue;
    return {
      host: rule.toHost === '' ? unbracket(host) : rule.toHost,
      port: rule.toPort === '' ? port : Number(rule.toPort),
      rule,
    };
  }
  return { host: unbracket(host), port };
}

/** The `--resolve` addresses for `host:port`, if a rule names them. */
export function resolveOverride(host: string, port: number, rules: readonly ResolveRule[]): string | undefined {
  const wanted = unbracket(host).toLowerCase();
  const rule = rules.find((r) => r.host.toLowerCase() === wanted && Number(r.port) === port);
  return rule?.addresses[0];
}
