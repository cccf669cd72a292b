/**
 * An error shown in words: the core's message, never a code or a stack trace. `testId` tells a
 * row's own error (one retrieve among several) from the page's.
 */
export function ErrorMessage({
  message,
  testId = 'error-message',
}: {
  message: string | null;
  testId?: string;
}) {
  if (message === null) return null;
  return (
    <p className="error-message" role="alert" data-testid={testId}>
      {message}
    </p>
  );
}
