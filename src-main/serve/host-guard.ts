import { isIP } from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** Whether binding to `host` keeps the server on this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = stripBrackets(host).toLowerCase();
  if (LOOPBACK_NAMES.has(bare)) return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The host part of a Host header ("localhost:7878", "[::1]:7878"). */
export function hostnameOf(hostHeader: string): string {
  const trimmed = hostHeader.trim().toLowerCase();
  if (trimmed.startsWith('[')) {
    const end = trimmed.indexOf(']');
    return end === -1 ? trimmed : trimmed.slice(1, end);
  }
  const colon = trimmed.lastIndexOf(':');
  return colon === -1 ? trimmed : trimmed.slice(0, colon);
}

/**
 * DNS rebinding guard: a web page on another site can point its own host name at 127.0.0.1
 * and then talk to a loopback server as "same origin" (on a fresh install that would let it
 * run first-run setup and become admin). A loopback server therefore only answers requests
 * that name it as localhost or by its loopback address. A server bound to the network was an
 * explicit admin choice and is reached under names we cannot know, so it accepts any Host.
 */
export function isAllowedHostHeader(hostHeader: string | undefined, boundHost: string): boolean {
  if (!isLoopbackHost(boundHost)) return true;
  if (hostHeader === undefined) return false;
  const name = hostnameOf(hostHeader);
  return name === stripBrackets(boundHost).toLowerCase() || isLoopbackHost(name);
}
