import type { Route } from '../../app/routes.js';
export function PatientDetailPage(_props: { patientId: string; navigate: (route: Route) => void }) {
  return <section data-testid="patient-detail-page">Patient</section>;
}
