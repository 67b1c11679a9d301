import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Role } from '../../domain/identity/roles';
import { change, select } from '../sql';
import { managerOf, Transaction } from '../unit-of-work';

// An external issuer's subject is no app_user id (and would not cast): it has no feed.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CalendarFeedRow {
  id: string;
  userId: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Whose feed a secret opens, with the account as it stands now (the feed reads with the owner's rights). */
export interface CalendarFeedOwner {
  feedId: string;
  userId: string;
  username: string;
  roles: Role[];
  disabled: boolean;
}

const FEED = `id, user_id AS "userId", created_at AS "createdAt", revoked_at AS "revokedAt"`;

/** The only door to calendar_feed. Secrets never reach it: callers hand over their SHA-256. */
@Injectable()
export class CalendarFeedRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async active(userId: string): Promise<CalendarFeedRow | null> {
    if (!UUID.test(userId)) return null;
    const [row] = await select<CalendarFeedRow>(this.db, `SELECT ${FEED} FROM calendar_feed WHERE user_id = $1 AND revoked_at IS NULL`, [
      userId,
    ]);
    return row ?? null;
  }

  /**
   * Revokes the user's active feed, if any, and adds one with this secret hash. The account's row is
   * locked first, so two rotations at once leave exactly one feed active. Null when the user has no
   * local account (nothing to tie the feed to, nor to check it against later).
   */
  async rotate(
    tx: Transaction,
    userId: string,
    feed: { id: string; secretHash: string },
  ): Promise<{ created: CalendarFeedRow; revoked: CalendarFeedRow | null } | null> {
    if (!UUID.test(userId)) return null;
    const manager = managerOf(tx);
    const owner = await select(manager, `SELECT 1 FROM app_user WHERE id = $1 FOR NO KEY UPDATE`, [userId]);
    if (!owner.length) return null;
    const revoked = await this.revoke(tx, userId);
    const [created] = await select<CalendarFeedRow>(
      manager,
      `INSERT INTO calendar_feed (id, user_id, secret_hash) VALUES ($1, $2, $3) RETURNING ${FEED}`,
      [feed.id, userId, feed.secretHash],
    );
    return { created, revoked };
  }

  /** Revokes the user's active feed; the revoked row, or null when none was active. */
  async revoke(tx: Transaction, userId: string): Promise<CalendarFeedRow | null> {
    if (!UUID.test(userId)) return null;
    const { rows } = await change<CalendarFeedRow>(
      managerOf(tx),
      `UPDATE calendar_feed SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING ${FEED}`,
      [userId],
    );
    return rows[0] ?? null;
  }

  /** The owner of the active feed whose secret has this hash (an indexed equality: no scan, no early exit on a prefix). */
  async ownerOf(secretHash: string): Promise<CalendarFeedOwner | null> {
    const [row] = await select<CalendarFeedOwner>(
      this.db,
      `SELECT f.id AS "feedId", u.id AS "userId", u.username, u.roles, u.disabled
         FROM calendar_feed f JOIN app_user u ON u.id = f.user_id
        WHERE f.secret_hash = $1 AND f.revoked_at IS NULL`,
      [secretHash],
    );
    return row ?? null;
  }
}
