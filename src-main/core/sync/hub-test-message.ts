import type { HubDestination } from '../../../src-shared/contract/sync.js';
import { HubError } from './hub-client.js';
import { describeTlsError } from './pinned-tls.js';

/** Network error codes that mean "nothing answered at that address". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
]);

/**
 * A failed "test connection" said in words a person acts on: a wrong password, a TLS certificate
 * not trusted, a hub that does not answer, or an account without the right at the hub. The
 * technical detail follows in brackets.
 */
export function describeHubTestFailure(hub: HubDestination, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  const cause = error instanceof HubError ? error.failure : undefined;
  const inner = cause?.error ?? error;
  const tls = describeTlsError(inner, hub.url, hub.caPem !== null);
  if (tls !== null)
    return `TLS: ${tls.replace('Settings → DICOM', 'this hub’s settings').replace("PACS's CA", 'hub’s CA').replace('the PACS administrator', 'the hub’s administrator')}`;
  if (cause?.status === 401)
    return `Wrong user name or password: the hub refused to sign in ${hub.username}. Check the account at the hub and type the password again. (${detail})`;
  if (cause?.status === 403)
    return `The hub account ${hub.username} may not receive records: give it the role "workstation" at the hub. (${detail})`;
  const code = cause?.code;
  if (code !== undefined && /^ERR_TLS|^ERR_SSL|EPROTO|CERT/.test(code))
    return `TLS: the secure connection to ${hub.url} failed (${code}). Is it an https hub, with the right pinned CA? (${detail})`;
  if (
    (code !== undefined && UNREACHABLE.has(code)) ||
    /no (complete )?answer within|closed without an answer/.test(detail)
  )
    return `Unreachable: nothing answered at ${hub.url}. Is the hub running, and is the address and port right? (${detail})`;
  return detail;
}
