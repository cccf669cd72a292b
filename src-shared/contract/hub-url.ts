/**
 * Whether a hub address may be used (docs/hub-sync.md, "Adding a hub"): https is required unless
 * the hub is on this machine. Over plain http anyone on the clinic's network could read the
 * records and the hub account's password as they pass; only loopback never leaves the machine.
 * Null: fine; otherwise what is wrong and what to do.
 */
export function hubUrlProblem(url: string): string | null {
  // No URL class here (src-shared has neither DOM nor Node types): scheme and host by pattern.
  const match = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(url.trim());
  if (match === null) return 'Enter the hub address, e.g. https://hub.clinic.local:8443';
  const scheme = (match[1] ?? '').toLowerCase();
  if (scheme === 'https') return null;
  if (scheme !== 'http') return 'Use an https:// address.';
  if (isLoopback(match[2] ?? '')) return null;
  return (
    'Use https:// for a hub on another machine: over http anyone on the network could read the ' +
    "records and the hub account's password. Plain http is accepted only on this machine " +
    '(localhost, 127.0.0.1, [::1]).'
  );
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
