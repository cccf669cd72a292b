import { createHmac } from 'node:crypto';
import type { DeidMappingRepo, PseudonymRow } from './deid-mapping-repo.js';

/** A UID from a digest: "2.25." and 128 bits as a decimal integer (PS3.5 B.2), at most 44 chars. */
function uidFromDigest(digest: Buffer): string {
  const bits = Buffer.from(digest.subarray(0, 16));
  // RFC 4122 version 8 and variant bits, so the value is a well-formed UUID as B.2 asks.
  bits[6] = (bits[6]! & 0x0f) | 0x80;
  bits[8] = (bits[8]! & 0x3f) | 0x80;
  return `2.25.${BigInt(`0x${bits.toString('hex')}`).toString()}`;
}

/**
 * The mapping of one export: UIDs and pseudonyms derived with HMAC-SHA256 under the data dir's
 * secret (the same input always gives the same output, in this data dir only), remembered in the
 * local tables so an export tomorrow reuses them and an administrator can look them up.
 * `flush` stores the UIDs first seen by this export.
 */
export function createDeidMapping(repo: DeidMappingRepo) {
  const secret = repo.secret();
  const hmac = (text: string): Buffer => createHmac('sha256', secret).update(text).digest();
  const known = new Map<string, string>();
  const fresh: Array<readonly [string, string]> = [];

  return {
    mapUid(uid: string): string {
      const cached = known.get(uid);
      if (cached !== undefined) return cached;
      const stored = repo.replacementUid(uid);
      const replacement = stored ?? uidFromDigest(hmac(`uid\0${uid}`));
      if (stored === undefined) fresh.push([uid, replacement]);
      known.set(uid, replacement);
      return replacement;
    },
    /**
     * The pseudonym of the patient a file names (Patient ID and its issuer; the name when there
     * is no ID): `ANON-` and ten hex digits, the name `ANONYMOUS^` and the same digits, and a
     * date offset of 1 to 10 years back for the modified dates option.
     */
    pseudonymOf(
      patient: { id: string | null; issuer: string | null; name: string | null },
      appPatientId: string | null,
    ): PseudonymRow {
      const identity =
        patient.id !== null && patient.id !== ''
          ? `id\0${patient.id}\0${patient.issuer ?? ''}`
          : `name\0${patient.name ?? ''}`;
      const digest = hmac(`patient\0${identity}`);
      const code = digest.subarray(0, 5).toString('hex').toUpperCase();
      return repo.pseudonym(
        digest.toString('hex'),
        {
          pseudonymId: `ANON-${code}`,
          pseudonymName: `ANONYMOUS^${code}`,
          dateOffsetDays: -(365 + (digest.readUInt32BE(8) % (9 * 365))),
        },
        appPatientId,
      );
    },
    flush(): void {
      repo.saveUids(fresh.splice(0));
    },
  };
}
export type DeidMapping = ReturnType<typeof createDeidMapping>;
