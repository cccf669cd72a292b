import { useEffect, useState } from 'react';
import type { DentalCase } from '../../../../../src-shared/contract/dental.js';
import { useApi } from '../../../api/api-context.js';
import { errorMessage } from '../../../api/client.js';
import { ErrorMessage } from '../../../ui/error-message.js';
import { VoiceCaptionPanel } from './voice-caption-panel.js';

/**
 * A minimal page for a dental case's voice captions (#/dental/<caseId>/voice), until the case
 * page mounts the panel itself.
 */
export function DentalVoicePage({ caseId }: { caseId: string }) {
  const api = useApi();
  const [dentalCase, setDentalCase] = useState<DentalCase | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .call('dental.cases.get', { id: caseId })
      .then(setDentalCase, (failure: unknown) => setError(errorMessage(failure)));
  }, [api, caseId]);
  return (
    <div className="dental-voice-page">
      <h2>{dentalCase === null ? 'Dental case' : `Dental case: ${dentalCase.name}`}</h2>
      {dentalCase !== null && dentalCase.patientName !== null && (
        <p>Patient: {dentalCase.patientName}</p>
      )}
      <ErrorMessage message={error} />
      {error === null && <VoiceCaptionPanel caseId={caseId} />}
    </div>
  );
}
