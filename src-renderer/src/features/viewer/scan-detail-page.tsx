import type { Route } from '../../app/routes.js';
export function ScanDetailPage(_props: { scanId: string; navigate: (route: Route) => void }) {
  return <section data-testid="scan-detail-page">Scan</section>;
}
