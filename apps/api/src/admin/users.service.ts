import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { AuditService } from '../../../../libs/audit';
import { AccountCheck, hashPassword, Principal } from '../../../../libs/auth';
import { AppConfig, APP_CONFIG } from '../../../../libs/config';
import { Transaction, UnitOfWork, UserChanges, UserEntity, UserRepository } from '../../../../libs/db';
import { Agency, Role, roleFitsAgency } from '../../../../libs/domain/identity/roles';
import type { CreateUserDto, UpdateUserDto } from './users.dto';

type UserView = Omit<UserEntity, 'passwordHash'>;

/** User administration (ADMIN): create, change roles, disable; every change audited. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly audit: AuditService,
    private readonly accounts: AccountCheck,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  list(): Promise<UserView[]> {
    return this.users.list();
  }

  create(dto: CreateUserDto, admin: Principal, requestId?: string): Promise<UserView> {
    return this.insert(dto, admin, requestId);
  }

  /**
   * The deployment's first administrator (scripts/create-admin.ts): refused with 409 while an enabled
   * administrator exists, checked and created in one transaction under a lock, so two runs at once
   * make one account.
   */
  createFirstAdmin(dto: CreateUserDto, creator: Principal): Promise<UserView> {
    return this.insert(dto, creator, undefined, async (tx) => {
      const admins = await this.users.lockAndListEnabledAdmins(tx);
      if (admins.length)
        throw new ConflictException(`an administrator already exists (${admins.join(', ')}): create further accounts in the web UI`);
    });
  }

  /** The account and its USER_CREATED event in one transaction, after `precondition` (in it) allows. */
  private async insert(
    dto: CreateUserDto,
    creator: Principal,
    requestId: string | undefined,
    precondition?: (tx: Transaction) => Promise<void>,
  ): Promise<UserView> {
    if (!this.config.auth.localAccounts)
      throw new UnprocessableEntityException('Local accounts are off (LOCAL_ACCOUNTS=off): users sign in through the identity provider');
    this.checkRoles(dto.roles, dto.agency ?? null, dto.organisation ?? null);
    const taken = () => new ConflictException(`User ${dto.username} already exists`);
    if (await this.users.findForLogin(dto.username)) throw taken();
    // Hashed before the transaction, which then holds its connection only for the writes.
    const passwordHash = await hashPassword(dto.password);
    return this.uow.run(async (tx) => {
      await precondition?.(tx);
      const created = await this.users.create(tx, {
        username: dto.username,
        displayName: dto.displayName,
        roles: dto.roles,
        agency: dto.agency ?? null,
        organisation: dto.organisation ?? null,
        email: dto.email ?? null,
        passwordHash,
      });
      if (!created) throw taken();
      await this.audit.record(
        { ...actor(creator), action: 'USER_CREATED', subjectType: 'user', subjectId: created.id, after: created, requestId },
        tx,
      );
      return created;
    });
  }

  async update(id: string, dto: UpdateUserDto, admin: Principal, requestId?: string): Promise<UserView> {
    const before = await this.users.findById(id);
    if (!before) throw new NotFoundException(`User ${id} not found`);
    this.checkRoles(
      dto.roles ?? before.roles,
      dto.agency !== undefined ? dto.agency : before.agency,
      dto.organisation !== undefined ? dto.organisation : before.organisation,
    );
    if (id === admin.userId && (dto.disabled || (dto.roles && !dto.roles.includes('ADMIN')))) {
      throw new UnprocessableEntityException('Administrators cannot disable themselves or drop their own ADMIN role');
    }
    const { password, ...fields } = dto;
    // The DTO instance carries every declared field; only those the request gave are changes.
    const changes: UserChanges = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    if (!Object.keys(changes).length && password === undefined)
      throw new BadRequestException({
        message: 'Nothing to change',
        details: [{ field: '', message: 'body must contain at least one field' }],
      });
    // Hashed before the transaction, which then holds its connection only for the writes.
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    const after = await this.uow.run(async (tx) => {
      const updated = await this.users.update(tx, id, {
        ...changes,
        passwordHash,
        // A reset password ends the sessions opened with the old one; disabling ends them too, so
        // re-enabling the account does not revive old tokens.
        revokeSessions: password !== undefined || (dto.disabled === true && !before.disabled),
      });
      if (!updated) throw new NotFoundException(`User ${id} not found`);
      if (Object.keys(changes).length)
        await this.audit.record(
          { ...actor(admin), action: 'USER_UPDATED', subjectType: 'user', subjectId: id, before, after: updated, requestId },
          tx,
        );
      // The hash is never audited.
      if (password !== undefined)
        await this.audit.record(
          {
            ...actor(admin),
            action: 'USER_PASSWORD_RESET',
            subjectType: 'user',
            subjectId: id,
            after: { username: before.username, sessionsRevoked: true },
            requestId,
          },
          tx,
        );
      return updated;
    });
    this.accounts.forget(id);
    return after;
  }

  /** Every token issued to the user so far is refused from the next request on (other API processes: within ACCOUNT_CHECK_CACHE). */
  async revokeSessions(id: string, admin: Principal, requestId?: string): Promise<{ userId: string; sessionsRevokedAt: string }> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException(`User ${id} not found`);
    const revoked = await this.users.revokeSessions(id);
    if (!revoked) throw new NotFoundException(`User ${id} not found`);
    this.accounts.forget(id);
    const sessionsRevokedAt = new Date().toISOString();
    await this.audit.record({
      ...actor(admin),
      action: 'USER_SESSIONS_REVOKED',
      subjectType: 'user',
      subjectId: id,
      after: { username: user.username, sessionVersion: revoked.sessionVersion, sessionsRevokedAt },
      requestId,
    });
    return { userId: id, sessionsRevokedAt };
  }

  /** docs/spec.md section 1: each role exists only in certain agencies; applicants belong to an organisation. */
  private checkRoles(roles: Role[], agency: Agency | null, organisation: string | null): void {
    const misfit = roles.find((role) => !roleFitsAgency(role, agency));
    if (misfit) throw new UnprocessableEntityException(`Role ${misfit} does not exist ${agency ? `at ${agency}` : 'without an agency'}`);
    if (roles.includes('APPLICANT') && !organisation) throw new UnprocessableEntityException('An APPLICANT needs an organisation');
  }
}

function actor(user: Principal) {
  return { actor: user.username, role: user.roles.join(','), agency: user.agency };
}
