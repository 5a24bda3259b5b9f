/**
 * The sandbox's command-line options (`runbook sandbox --x`, `runbook run --sandbox-x`) turned into
 * `SandboxOptions`. Light on purpose: the CLI imports it before deciding to start anything.
 */
import { InputError } from '../errors.js';
import type { SandboxOptions } from './types.js';

/** Flag values as commander hands them over (strings, or absent). */
export interface SandboxFlags {
  kubeconfig?: string;
  port?: string;
  ingressPort?: string;
  loadDelay?: string;
  faultWatchDrop?: string;
  faultApiErrorRate?: string;
  faultRouteDelay?: string;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `300ms`, `1.5s`, `2m`, `1h`, or `0`, in milliseconds. */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (text.trim() === '0') return 0;
  if (!m) throw new InputError(`${flag}: expected a duration such as 300ms, 2s or 1m, got "${text}"`);
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

export function parseFraction(flag: string, text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InputError(`${flag}: expected a fraction between 0 and 1 such as 0.1, got "${text}"`);
  }
  return value;
}

export function parsePort(flag: string, text: string): number {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || value > 65535) throw new InputError(`${flag}: expected a port number from 0 to 65535, got "${text}"`);
  return value;
}

/** `prefix` is how the flags are spelled to the user: `--` for `runbook sandbox`, `--sandbox-` for `runbook run`. */
export function parseSandboxFlags(flags: SandboxFlags, prefix = '--'): SandboxOptions {
  const options: SandboxOptions = {};
  if (flags.kubeconfig !== undefined) {
    if (flags.kubeconfig.trim() === '') throw new InputError(`${prefix}kubeconfig: expected a file path, got ""`);
    options.kubeconfig = flags.kubeconfig;
  }
  if (flags.port !== undefined) options.port = parsePort(`${prefix}port`, flags.port);
  if (flags.ingressPort !== undefined) options.ingressPort = parsePort(`${prefix}ingress-port`, flags.ingressPort);
  if (flags.loadDelay !== undefined) options.loadDelayMs = parseDuration(`${prefix}load-delay`, flags.loadDelay);
  if (flags.faultWatchDrop !== undefined) options.faultWatchDropMs = parseDuration(`${prefix}fault-watch-drop`, flags.faultWatchDrop);
  if (flags.faultApiErrorRate !== undefined) options.faultApiErrorRate = parseFraction(`${prefix}fault-api-error-rate`, flags.faultApiErrorRate);
  if (flags.faultRouteDelay !== undefined) options.faultRouteDelayMs = parseDuration(`${prefix}fault-route-delay`, flags.faultRouteDelay);
  if (options.port !== undefined && options.port !== 0 && options.port === options.ingressPort) {
    throw new InputError(`${prefix}port and ${prefix}ingress-port: the API and the ingress need different ports, both are ${options.port}`);
  }
  return options;
}
