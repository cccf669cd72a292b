import { useState } from 'react';

/**
 * A password or token typed only to be sent to the OS keychain: never loaded back, so the field
 * is empty and says whether one is stored. Shared by the DICOMweb and hub destination forms.
 */
export function SecretField(props: {
  label: string;
  value: string;
  /** null: not known yet. */
  stored: boolean | null;
  onChange: (value: string) => void;
  testId: string;
}) {
  const { label, stored } = props;
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="password"
        value={props.value}
        autoComplete="new-password"
        placeholder={stored === true ? 'stored (type to replace)' : 'not stored yet'}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
      <small className="muted" data-testid={`${props.testId}-state`}>
        {stored === null
          ? ''
          : stored
            ? `${label} stored in the OS keychain (never shown).`
            : `No ${label.toLowerCase()} stored.`}
      </small>
    </label>
  );
}

/**
 * A pinned CA for an https server, pasted or loaded from a PEM file: only a certificate issued by
 * this CA is then accepted; empty: the system's CAs.
 */
export function PinnedCaField(props: {
  value: string;
  onChange: (pem: string) => void;
  /** Who the CA is for, e.g. "this PACS", "this hub". */
  forWhom: string;
  testId: string;
}) {
  const [error, setError] = useState<string | null>(null);
  async function load(file: File | undefined): Promise<void> {
    if (file === undefined) return;
    if (file.size > 64_000) {
      setError('That file is larger than 64 KB: a CA certificate in PEM is a few KB.');
      return;
    }
    setError(null);
    props.onChange((await file.text()).trim());
  }
  return (
    <label className="field">
      <span>Pinned CA (PEM, optional)</span>
      <textarea
        rows={4}
        value={props.value}
        placeholder="-----BEGIN CERTIFICATE-----"
        spellCheck={false}
        className="mono"
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
      <input
        type="file"
        accept=".pem,.crt,.cer,text/plain"
        aria-label="Load the CA from a PEM file"
        onChange={(e) => void load(e.target.files?.[0])}
        data-testid={`${props.testId}-file`}
      />
      {error !== null && <small className="row-error">{error}</small>}
      <small className="muted">
        Only a certificate issued by this CA is accepted for {props.forWhom}; empty: the
        system&apos;s CAs.
      </small>
    </label>
  );
}
