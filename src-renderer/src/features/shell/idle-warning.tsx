/** The last minute before the idle logoff: any key or mouse movement keeps the session. */
export function IdleWarning({ remainingMs }: { remainingMs: number }) {
  return (
    <div className="banner warning" role="status" data-testid="idle-warning">
      You will be logged off in {Math.ceil(remainingMs / 1000)} s because nothing happened for a
      while. Move the mouse or press a key to stay logged in.
    </div>
  );
}
