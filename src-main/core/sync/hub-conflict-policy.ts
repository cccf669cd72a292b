/**
 * The conflict policy of the hub (docs/hub-sync.md): which of two concurrent versions of one
 * record the hub shows. Both are always kept; this only picks the one shown as current.
 *
 * 1. A signed (final) report beats a draft, and anything live beats a deletion: a signed report
 *    is never hidden by a draft or a deletion made elsewhere, and no record disappears because
 *    another workstation deleted it while this one changed it.
 * 2. Of two of the same rank, the later wins: for signed reports the later signature, otherwise
 *    the later change (workstation clocks; a skewed clock can only reorder concurrent changes,
 *    which are kept and marked as a conflict anyway).
 * 3. Ties go to the lower workstation name, so every hub picks the same one.
 */
export interface CompetingVersion {
  origin: string;
  entity: string;
  op: 'create' | 'update' | 'delete';
  changedAt: string;
  payload: unknown;
}

function field(payload: unknown, name: string): unknown {
  return typeof payload === 'object' && payload !== null
    ? (payload as Record<string, unknown>)[name]
    : undefined;
}

function isSignedReport(v: CompetingVersion): boolean {
  return v.entity === 'report' && v.op !== 'delete' && field(v.payload, 'status') === 'final';
}

/** 0: a deletion; 1: a live record; 2: a signed report. */
export function rankOf(v: CompetingVersion): number {
  if (v.op === 'delete') return 0;
  return isSignedReport(v) ? 2 : 1;
}

function timeOf(v: CompetingVersion): string {
  const signedAt = field(v.payload, 'signedAt');
  return isSignedReport(v) && typeof signedAt === 'string' ? signedAt : v.changedAt;
}

/** The version the hub shows of two concurrent ones. */
export function winnerOf<T extends CompetingVersion>(a: T, b: T): T {
  const rank = rankOf(a) - rankOf(b);
  if (rank !== 0) return rank > 0 ? a : b;
  const ta = Date.parse(timeOf(a));
  const tb = Date.parse(timeOf(b));
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta > tb ? a : b;
  return a.origin <= b.origin ? a : b;
}
