/** An error shown in words: the core's message, never a code or a stack trace. */
export function ErrorMessage({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <p className="error-message" role="alert" data-testid="error-message">
      {message}
    </p>
  );
}
