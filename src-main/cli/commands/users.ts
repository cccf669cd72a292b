import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { readStdin, withoutTrailingNewline } from '../read-stdin.js';
import { orDash, formatTable } from '../format/table.js';

type UsersAdd = Extract<Command, { kind: 'users add' }>;
type UsersList = Extract<Command, { kind: 'users list' }>;
type UsersSet = Extract<Command, { kind: 'users set' }>;

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
      ...(command.patientId !== undefined && { patientId: command.patientId }),
    });
    io.stdout.write(`Created user ${user.username} (${user.role}), id ${user.id}.\n`);
    return 0;
  } finally {
    await cli.close();
  }
}

/** Every account with its role and whether it may log in. */
export async function runUsersList(command: UsersList, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  try {
    const users = await cli.call('users.list', {});
    if (command.json) {
      io.stdout.write(`${JSON.stringify(users, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(
      formatTable(
        ['USERNAME', 'NAME', 'ROLE', 'STATUS', 'LAST LOGIN'],
        users.map((user) => [
          user.username,
          user.displayName,
          user.role,
          user.disabled
            ? 'disabled'
            : user.lockedUntil !== null
              ? `locked until ${user.lockedUntil}`
              : 'active',
          orDash(user.lastLoginAt),
        ]),
      ),
    );
    return 0;
  } finally {
    await cli.close();
  }
}

/** Changes one account: role, patient link, disabled, lock, password (from stdin). */
export async function runUsersSet(command: UsersSet, io: CliIo): Promise<number> {
  let password: string | undefined;
  if (command.password) {
    if (io.stdin.isTTY === true) io.stderr.write('New password (end with Ctrl-D): ');
    password = withoutTrailingNewline(await readStdin(io.stdin));
  }
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  try {
    const users = await cli.call('users.list', {});
    const user = users.find((u) => u.username.toLowerCase() === command.username.toLowerCase());
    if (user === undefined) {
      io.stderr.write(`No account is named "${command.username}". See: neurosphere users list\n`);
      return 1;
    }
    const updated = await cli.call('users.update', {
      id: user.id,
      ...(command.role !== undefined && { role: command.role }),
      ...(command.patientId !== undefined && { patientId: command.patientId }),
      ...(command.disabled !== undefined && { disabled: command.disabled }),
      ...(command.unlock && { unlock: true as const }),
      ...(password !== undefined && { password }),
    });
    const state = updated.disabled ? 'disabled' : 'active';
    io.stdout.write(`Updated ${updated.username}: ${updated.role}, ${state}.\n`);
    return 0;
  } finally {
    await cli.close();
  }
}
