/**
 * Name resolution for network steps: IP literals pass through, `--resolve` overrides win, then the system resolver.
 */
import { lookup } from 'node:dns/promises';
import net from 'node:net';

/** Resolves `host` to one address, or undefined when the name does not resolve. */
export async function resolveHost(host: string): Promise<string | undefined> {
  if (net.isIP(host)) return host;
  try {
    // Prefer IPv4 as curl's happy eyeballs does on a typical host, so the transcript shows the same address.
    const found = await lookup(host, { family: 0, order: 'ipv4first' });
    return found.address;
  } catch {
    return undefined;
  }
}

/** `IP:PORT` as curl prints it, with brackets around IPv6. */
export function hostPort(ip: string, port: number): string {
  return net.isIPv6(ip) ? `[${ip}]:${port}` : `${ip}:${port}`;
}
