import type { Route } from '../../app/routes.js';
export function PatientsPage(_props: { navigate: (route: Route) => void }) {
  return <section data-testid="patients-page">Patients</section>;
}
