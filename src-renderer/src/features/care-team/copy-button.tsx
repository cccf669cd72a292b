import { useState } from 'react';

/** Copies a text to the clipboard and says whether it worked (the text stays visible to select). */
export function CopyButton(props: { text: string; label: string; testId: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="button small"
      onClick={() =>
        void navigator.clipboard.writeText(props.text).then(
          () => setState('copied'),
          () => setState('failed'),
        )
      }
      data-testid={props.testId}
    >
      {state === 'copied'
        ? 'Copied'
        : state === 'failed'
          ? 'Copy failed: select the text'
          : props.label}
    </button>
  );
}
