/**
 * TLS options of a connection to a destination: certificates are always verified; with a pinned
 * CA (PEM), only servers whose chain ends at that CA are accepted (the clinic's own CA instead
 * of the public ones).
 */
export function tlsOptionsFor(caPem: string | null): { ca?: string; rejectUnauthorized: true } {
  return caPem === null || caPem.trim() === ''
    ? { rejectUnauthorized: true }
    : { ca: caPem, rejectUnauthorized: true };
}
