/**
 * Whether another process with this pid runs on this machine. Our own pid counts as not running:
 * a record carrying it was left by an earlier process that had the same pid (restarts in containers).
 */
export function isOtherProcessRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
