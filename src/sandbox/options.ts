/**
 * The sandbox's command-line options (`runbook sandbox --x`, `runbook run --sandbox-x`) turned into
 * `SandboxOptions`. Light on purpose: the CLI imports it before deciding to start anything.
 */
import { InputError } from '../core/errors.js';
import { durationFlag } from '../core/duration.js';
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
  if (flags.loadDelay !== undefined) options.loadDelayMs = durationFlag(`${prefix}load-delay`, flags.loadDelay);
  if (flags.faultWatchDrop !== undefined) options.faultWatchDropMs = durationFlag(`${prefix}fault-watch-drop`, flags.faultWatchDrop);
  if (flags.faultApiErrorRate !== undefined) options.faultApiErrorRate = parseFraction(`${prefix}fault-api-error-rate`, flags.faultApiErrorRate);
  if (flags.faultRouteDelay !== undefined) options.faultRouteDelayMs = durationFlag(`${prefix}fault-route-delay`, flags.faultRouteDelay);
  if (options.port !== undefined && options.port !== 0 && options.port === options.ingressPort) {
    throw new InputError(`${prefix}port and ${prefix}ingress-port: the API and the ingress need different ports, both are ${options.port}`);
  }
  return options;
}
