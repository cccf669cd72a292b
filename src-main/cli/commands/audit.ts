import { describeAuditVerification } from '../../core/index.js';
import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';

type AuditVerify = Extract<Command, { kind: 'audit verify' }>;

/** `neurosphere audit verify`: every broken link of the audit chain; exit 1 when there is one. */
export async function runAuditVerify(command: AuditVerify, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  try {
    const verification = cli.core.audit.verify();
    if (command.json) io.stdout.write(`${JSON.stringify(verification, null, 2)}\n`);
    else (verification.ok ? io.stdout : io.stderr).write(describeAuditVerification(verification));
    return verification.ok ? 0 : 1;
  } finally {
    await cli.close();
  }
}
