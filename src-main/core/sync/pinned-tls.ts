/**
 * TLS options for a destination's HTTPS connection (docs/dicomweb.md): with a pinned CA, the
 * server's certificate must chain to that CA only (the system's CAs are not trusted for it);
 * without one, the system's CAs. Certificate checks are never turned off.
 */
export function tlsOptionsFor(caPem: string | null): { ca?: string; rejectUnauthorized: true } {
  return caPem === null || caPem.trim() === ''
    ? { rejectUnauthorized: true }
    : { ca: caPem, rejectUnauthorized: true };
}

/** TLS error codes of Node that mean "the certificate is not one we trust". */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

/** A TLS failure said plainly, with what to do; null when the error is not about trust. */
export function describeTlsError(error: unknown, url: string, pinned: boolean): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !UNTRUSTED.has(code)) return null;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `The certificate of ${url} is not for that host name (${code}): use the name the certificate was issued for.`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return `The certificate of ${url} is not valid now (${code}): the PACS administrator must renew it.`;
  return pinned
    ? `The certificate of ${url} does not chain to the pinned CA (${code}): the server is not the one expected, or its CA changed; paste the right CA in Settings → DICOM.`
    : `The certificate of ${url} is not trusted by this system (${code}): pin the PACS's CA (PEM) in Settings → DICOM.`;
}
