import 'reflect-metadata';
import { HttpException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CreateUserDto } from '../apps/api/src/admin/users.dto';
import { UsersService } from '../apps/api/src/admin/users.service';
import { AuditService } from '../libs/audit';
import { AccountCheck, Principal } from '../libs/auth';
import { loadConfig } from '../libs/config';
import { openDatabase } from '../libs/db';

const USAGE =
  'usage: node dist/scripts/create-admin.js --username <name> --display-name <text> [--email <address>] [--password-file <file>]\n' +
  '       (without --password-file, or with -, the password is read from standard input)';

/** Who the audit trail names for an account made from the command line (docs/runbook.md, "First administrator"). */
const COMMAND_LINE: Principal = {
  userId: 'create-admin',
  username: 'create-admin (command line)',
  roles: ['ADMIN'],
  agency: null,
  organisation: null,
};

/**
 * `node dist/scripts/create-admin.js`: the first local administrator of a deployment, which seeds no
 * users in production. It goes through the same rules and audit as POST /admin/users, and refuses
 * once any enabled administrator exists (further accounts are made in the web UI) or while local
 * accounts are off (LOCAL_ACCOUNTS). The password never appears in arguments, which `ps` shows.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      'display-name': { type: 'string' },
      email: { type: 'string' },
      'password-file': { type: 'string' },
    },
  });
  const config = loadConfig(process.env);
  if (!config.auth.localAccounts)
    throw new Refusal('local accounts are off (LOCAL_ACCOUNTS=off): administrators come from the identity provider');
  const passwordFile = values['password-file'] ?? '-';
  const password = readFileSync(passwordFile === '-' ? 0 : passwordFile, 'utf8').replace(/\r?\n$/, '');
  const dto = plainToInstance(CreateUserDto, {
    username: values.username,
    displayName: values['display-name'],
    email: values.email,
    password,
    roles: ['ADMIN'],
  });
  const problems = validateSync(dto, { forbidUnknownValues: true }).flatMap((e) => Object.values(e.constraints ?? {}));
  if (problems.length) throw new Refusal(`${problems.join('; ')}\n${USAGE}`);

  const db = await openDatabase(config.databaseUrl);
  try {
    await db.migrate(); // under the same advisory lock as the API's start, so it may run first
    const users = new UsersService(db.users, new AuditService(db.audit), new AccountCheck(config, db.users), db.unitOfWork, config);
    const created = await users.createFirstAdmin(dto, COMMAND_LINE);
    console.log(`created administrator ${created.username} (${created.id})`);
  } finally {
    await db.close();
  }
}

/** A request the command refuses: said in one line, exit code 2. */
class Refusal extends Error {}

main().catch((error: unknown) => {
  const refused = error instanceof Refusal || error instanceof HttpException;
  console.error(`create-admin: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = refused ? 2 : 1;
});
