import { describe, expect, it } from 'vitest';
import { hostnameOf, isAllowedHostHeader, isLoopbackHost } from './host-guard.js';
import { safeRequestPath } from './request-path.js';
import { bearerToken } from './rpc-route.js';

describe('request guards', () => {
  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '192.168.1.5', '::', 'example.org'])
      expect(isLoopbackHost(host)).toBe(false);
  });

  it('accepts only loopback Host headers on a loopback server', () => {
    expect(hostnameOf('[::1]:7878')).toBe('::1');
    expect(isAllowedHostHeader('127.0.0.1:7878', '127.0.0.1')).toBe(true);
    expect(isAllowedHostHeader('localhost:7878', '127.0.0.1')).toBe(true);
    expect(isAllowedHostHeader('[::1]:7878', '127.0.0.1')).toBe(true);
    expect(isAllowedHostHeader('rebind.attacker.example:7878', '127.0.0.1')).toBe(false);
    expect(isAllowedHostHeader(undefined, '127.0.0.1')).toBe(false);
    expect(isAllowedHostHeader('workstation.clinic.lan:7878', '0.0.0.0')).toBe(true);
  });

  it('decodes paths and refuses traversal in every spelling', () => {
    expect(safeRequestPath('/assets/a%20b.js?v=1')).toBe('/assets/a b.js');
    for (const raw of ['/../x', '/a/%2e%2e/x', '/%2E%2E', '/a%5c..%5cx', '/%00', '/%E0%A4%A', 'x'])
      expect(safeRequestPath(raw)).toBeUndefined();
  });

  it('reads bearer tokens only', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic dXNlcjpwdw==')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
