import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Agency, Role } from '../../domain/identity/roles';
import { UserEntity } from '../entities';
import { change, select } from '../sql';
import { managerOf, Transaction } from '../unit-of-work';

export interface NewUser {
  username: string;
  displayName: string;
  organisation: string | null;
  agency: Agency | null;
  roles: Role[];
  passwordHash: string;
  email?: string | null;
}

/** What a request's account check needs: whether the account may act, as whom, and its session version. */
export interface UserSessionState {
  disabled: boolean;
  roles: Role[];
  agency: Agency | null;
  organisation: string | null;
  sessionVersion: number;
}

export type UserChanges = Partial<Pick<UserEntity, 'displayName' | 'organisation' | 'agency' | 'roles' | 'disabled' | 'email'>>;

/** An administrator's change of an account: its fields, a reset password's hash, and whether its sessions end. */
export interface UserUpdate extends UserChanges {
  /** Also clears any lockout. */
  passwordHash?: string;
  /** Invalidates every token issued so far. */
  revokeSessions?: boolean;
}

const CHANGE_COLUMNS: Record<keyof UserChanges, string> = {
  displayName: 'display_name',
  organisation: 'organisation',
  agency: 'agency',
  roles: 'roles',
  disabled: 'disabled',
  email: 'email',
};

/** Serialises first-administrator creations (scripts/create-admin.ts); beside the migration and seal locks. */
export const FIRST_ADMIN_LOCK = 7_314_323;

/** The only door to app_user. */
@Injectable()
export class UserRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get users() {
    return this.db.getRepository(UserEntity);
  }

  /** With the password hash, which other reads never select. */
  findForLogin(username: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').addSelect('u.passwordHash').where('u.username = :username', { username }).getOne();
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  list(): Promise<UserEntity[]> {
    return this.users.find({ order: { username: 'ASC' } });
  }

  /**
   * One INSERT in the caller's transaction (its audit event goes in the same one): the row as stored,
   * or null when the username is taken, by a concurrent creation too (username is the only unique column).
   */
  async create(tx: Transaction, user: NewUser): Promise<UserEntity | null> {
    const manager = managerOf(tx);
    const { raw } = await manager.createQueryBuilder().insert().into(UserEntity).values(user).orIgnore().execute();
    const [inserted] = raw as { id: string }[];
    return inserted ? manager.findOneBy(UserEntity, { id: inserted.id }) : null;
  }

  /**
   * The enabled administrators' usernames, read after taking a lock held to the end of the caller's
   * transaction: two first-administrator creations started together run one after the other, so the
   * second sees the first's account.
   */
  async lockAndListEnabledAdmins(tx: Transaction): Promise<string[]> {
    const manager = managerOf(tx);
    await manager.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
    const rows = (await manager.query(`SELECT username FROM app_user WHERE 'ADMIN' = ANY(roles) AND NOT disabled ORDER BY username`)) as {
      username: string;
    }[];
    return rows.map((row) => row.username);
  }

  /** Inserts users that do not exist yet (demo seeding is idempotent across restarts). */
  async insertMissing(users: NewUser[]): Promise<number> {
    const result = await this.users.createQueryBuilder().insert().values(users).orIgnore().execute();
    return (result.raw as unknown[]).length;
  }

  /** One UPDATE in the caller's transaction; the row as changed, or null when the user does not exist. */
  async update(tx: Transaction, id: string, { passwordHash, revokeSessions, ...changes }: UserUpdate): Promise<UserEntity | null> {
    const params: unknown[] = [id];
    const set = (Object.keys(changes) as (keyof UserChanges)[]).map((key) => `${CHANGE_COLUMNS[key]} = $${params.push(changes[key])}`);
    if (passwordHash !== undefined) set.push(`password_hash = $${params.push(passwordHash)}`, 'failed_logins = 0', 'locked_until = NULL');
    if (revokeSessions) set.push('session_version = session_version + 1');
    const manager = managerOf(tx);
    const { count } = await change(manager, `UPDATE app_user SET ${[...set, 'updated_at = now()'].join(', ')} WHERE id = $1`, params);
    return count ? manager.findOneBy(UserEntity, { id }) : null;
  }

  /** Counts a failed login atomically; at the limit the account locks and the count restarts. */
  async recordFailedLogin(id: string, maxAttempts: number, lockoutMs: number): Promise<{ locked: boolean }> {
    const { rows } = await change<{ locked: boolean }>(
      this.db,
      `UPDATE app_user SET
         locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + ($3::text || ' milliseconds')::interval ELSE locked_until END,
         failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END
       WHERE id = $1
       RETURNING locked_until > now() AS locked`,
      [id, maxAttempts, String(lockoutMs)],
    );
    return { locked: Boolean(rows[0]?.locked) };
  }

  /** Clears the failure count; answers the session version the new token is issued under. */
  async recordSuccessfulLogin(id: string): Promise<{ sessionVersion: number }> {
    const { rows } = await change<{ session_version: number }>(
      this.db,
      `UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1 RETURNING session_version`,
      [id],
    );
    return { sessionVersion: rows[0]?.session_version ?? 0 };
  }

  async findSessionState(id: string): Promise<UserSessionState | null> {
    const rows = await select<UserSessionState>(
      this.db,
      `SELECT disabled, roles, agency, organisation, session_version AS "sessionVersion" FROM app_user WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Invalidates every token issued so far (they carry an older version); null when the user does not exist. */
  async revokeSessions(id: string): Promise<{ sessionVersion: number } | null> {
    const { rows } = await change<{ session_version: number }>(
      this.db,
      `UPDATE app_user SET session_version = session_version + 1, updated_at = now() WHERE id = $1 RETURNING session_version`,
      [id],
    );
    return rows[0] ? { sessionVersion: rows[0].session_version } : null;
  }

  /** Enabled users of an agency holding any of `roles`, by username (whom a task may be handed to). */
  findActiveWithAnyRole(agency: Agency, roles: readonly Role[]): Promise<Pick<UserEntity, 'username' | 'displayName'>[]> {
    return select(
      this.db,
      `SELECT username, display_name AS "displayName" FROM app_user WHERE agency = $1 AND NOT disabled AND roles && $2::text[] ORDER BY username`,
      [agency, roles],
    );
  }

  /** An enabled user by name (e.g. the assignee of a reassignment), or null. */
  findActiveByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username, disabled: false });
  }
}
