import { useState } from 'react';
import { EnterConnectCode, ShowConnectCode } from './connect-code.js';

/** A patient account connects its doctor: a code for the doctor to enter, or the doctor's code. */
export function ConnectPage() {
  const [connected, setConnected] = useState<string | null>(null);
  return (
    <section className="page-section" data-testid="connect-page" aria-labelledby="connect-title">
      <div className="toolbar">
        <h2 id="connect-title">Connect a doctor</h2>
      </div>
      <ShowConnectCode
        title="Give your doctor a code"
        explanation="Your doctor enters this code in Neurosphere to see your scans and reports. Give it only to your doctor."
      />
      <EnterConnectCode
        title="Or enter your doctor’s code"
        explanation="If your doctor gave you a code, enter it here to let them see your scans and reports."
        onConnected={(link) => setConnected(link.doctor.displayName)}
      />
      {connected !== null && (
        <p className="notice" role="status" data-testid="connect-done">
          {connected} can now see your scans and reports.
        </p>
      )}
    </section>
  );
}
