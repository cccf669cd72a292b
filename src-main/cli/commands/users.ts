import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { readStdin, withoutTrailingNewline } from '../read-stdin.js';

type UsersAdd = Extract<Command, { kind: 'users add' }>;

/** Creates an account, the very first admin included (the CLI owns the data folder). */
export async function runUsersAdd(command: UsersAdd, io: CliIo): Promise<number> {
  if (io.stdin.isTTY === true) io.stderr.write('Password (end with Ctrl-D): ');
  // Read before opening the core: no database is touched while someone types.
  const password = withoutTrailingNewline(await readStdin(io.stdin));
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  try {
    const user = await cli.call('users.create', {
      username: command.username,
      password,
      role: command.role,
      ...(command.displayName !== undefined && { displayName: command.displayName }),
    });
    io.stdout.write(`Created user ${user.username} (${user.role}), id ${user.id}.\n`);
    return 0;
  } finally {
    await cli.close();
  }
}
