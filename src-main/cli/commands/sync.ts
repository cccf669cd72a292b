import type { SyncStatus } from '../../../src-shared/contract/sync.js';
import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_INTERRUPTED } from './import.js';

type Sync = Extract<Command, { kind: 'sync' }>;

const DEFAULT_TIMEOUT_SECONDS = 300;
/** An operator waits for `sync run`: retries come sooner than in the background worker. */
const CLI_BACKOFF = { baseMs: 500, maxMs: 30_000 };

function describeStatus(status: SyncStatus): string {
  const c = status.counts;
  const lines = [
    `Sync: ${status.paused ? 'PAUSED' : 'active'}; ${c.pending + c.sending} waiting, ${c.sent} sent, ${c.failed} failed, ${c.skipped} skipped` +
      (status.bandwidthKiBps === null ? '' : `; limit ${status.bandwidthKiBps} KiB/s`),
  ];
  if (status.destinations.length === 0)
    lines.push(
      'No destination syncs: choose what each PACS receives in Settings → Sync (sync.configure).',
    );
  for (const d of status.destinations) {
    const sends = [
      d.originals && 'originals',
      d.segmentations && 'SEG',
      d.reports && 'reports',
    ].filter((s) => s !== false);
    const state = d.online === null ? 'not tried yet' : d.online ? 'online' : 'OFFLINE';
    if (d.kind === 'neurosphere') {
      lines.push(
        `  ${d.destinationId} (${d.name}, Neurosphere hub): ${state}; sends records and audit; ` +
          `${d.counts.pending + d.counts.sending} waiting, ${d.counts.sent} sent, ${d.counts.failed} failed`,
      );
      lines.push(`    last success: ${d.lastSuccessAt ?? 'never'}`);
      if (d.lastError !== null) lines.push(`    last error: ${d.lastErrorAt ?? ''} ${d.lastError}`);
      continue;
    }
    lines.push(
      `  ${d.destinationId} (${d.name}): ${state}; sends ${sends.join(', ') || 'nothing'}${d.deidentify ? ', de-identified' : ''}; ` +
        `${d.counts.pending + d.counts.sending} waiting, ${d.counts.sent} sent, ${d.counts.failed} failed`,
    );
    lines.push(`    last success: ${d.lastSuccessAt ?? 'never'}`);
    if (d.lastError !== null) lines.push(`    last error: ${d.lastErrorAt ?? ''} ${d.lastError}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `sync status|run|pause|resume`: the outbox sync from the command line. Pause and resume go
 * through the router (audited) and reach a running app or serve, which reads them per batch.
 * Run sends until nothing waits (items resent after a crash keep their SOP Instance UID).
 */
export async function runSync(command: Sync, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  const abort = new AbortController();
  const removeSigint = io.onSignal('SIGINT', () => abort.abort());
  const print = (status: SyncStatus): void => {
    io.stdout.write(command.json ? `${JSON.stringify(status, null, 2)}\n` : describeStatus(status));
  };
  try {
    switch (command.action) {
      case 'status':
        print(await cli.call('sync.status', {}));
        return 0;
      case 'pause':
        print(await cli.call('sync.pause', {}));
        return 0;
      case 'resume':
        print(await cli.call('sync.resume', {}));
        return 0;
      case 'run': {
        const before = await cli.call('sync.status', {});
        if (before.paused) {
          io.stderr.write('The sync is paused: run "neurosphere sync resume" first.\n');
          return 1;
        }
        // Through the router so the run is audited; the sending is this process's own loop.
        await cli.call('sync.run', {});
        const timer = setInterval(() => {
          if (io.stderr.isTTY !== true) return;
          const c = cli.core.sync.status().counts;
          io.stderr.write(`\rSending: ${c.sent} sent, ${c.pending + c.sending} waiting   `);
        }, 500);
        const { waiting } = await cli.core.sync
          .runUntilDone({
            deadline: Date.now() + (command.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
            signal: abort.signal,
            backoff: CLI_BACKOFF,
          })
          .finally(() => clearInterval(timer));
        if (io.stderr.isTTY === true) io.stderr.write('\n');
        const after = cli.core.sync.status();
        print(after);
        if (abort.signal.aborted) {
          io.stderr.write('Stopped: what was confirmed is recorded; run again to send the rest.\n');
          return EXIT_INTERRUPTED;
        }
        if (waiting > 0) {
          io.stderr.write(
            `${waiting} items still waiting: the PACS did not answer in time (see "last error"); run again later.\n`,
          );
          return 1;
        }
        return after.counts.failed > 0 ? 1 : 0;
      }
    }
  } finally {
    removeSigint();
    await cli.close();
  }
}
