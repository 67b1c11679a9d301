import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AuditService } from '../../../../libs/audit';
import { DenialAggregate, Principal } from '../../../../libs/auth';
import { CalendarFeedOwner, CalendarFeedRepository, CalendarFeedRow, Transaction, UnitOfWork } from '../../../../libs/db';
import { PROPOSAL_READER_ROLES } from '../../../../libs/domain/identity/roles';
import { ProgramsService } from './programs.service';

/** Where a feed is served, relative to the API base (its route in CalendarFeedController). */
export const CALENDAR_FEED_ROUTE = 'calendar/:secret.ics';
/** A feed's secret: 32 random bytes, base64url (43 characters). */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Why a feed is not served (for the audit only: the answer is the same 404), or null to serve it. */
function refusalOf(owner: CalendarFeedOwner | null): string | null {
  if (!owner) return 'unknown or revoked calendar feed';
  if (owner.disabled) return 'calendar feed of a disabled account';
  if (!owner.roles.some((role) => PROPOSAL_READER_ROLES.includes(role))) return 'calendar feed of an account that may not read plans';
  return null;
}

export interface CalendarFeedStatus {
  active: boolean;
  createdAt?: Date;
}

/**
 * Per-user secret calendar feed URLs of every plan's milestones, for calendar clients, which send no
 * bearer token. The URL is shown once; only the secret's SHA-256 is kept. A feed reads with its
 * owner's rights as they stand at each fetch: a disabled account, or one that may no longer read
 * plans, has no feed (404, as for an unknown or revoked secret).
 */
@Injectable()
export class CalendarFeedService {
  constructor(
    private readonly feeds: CalendarFeedRepository,
    private readonly programs: ProgramsService,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
    private readonly denials: DenialAggregate,
  ) {}

  async status(user: Principal): Promise<CalendarFeedStatus> {
    const feed = await this.feeds.active(user.userId);
    return feed ? { active: true, createdAt: feed.createdAt } : { active: false };
  }

  /** A new feed URL for the user; the previous one, if any, stops working (rotation). */
  async create(user: Principal, requestId?: string): Promise<{ url: string; createdAt: Date }> {
    const secret = randomBytes(32).toString('base64url');
    const created = await this.uow.run(async (tx) => {
      const rotated = await this.feeds.rotate(tx, user.userId, { id: randomUUID(), secretHash: sha256(secret) });
      if (!rotated) return null;
      if (rotated.revoked) await this.record(tx, user, 'CALENDAR_FEED_REVOKED', rotated.revoked, requestId, 'replaced by a new feed URL');
      await this.record(tx, user, 'CALENDAR_FEED_CREATED', rotated.created, requestId);
      return rotated.created;
    });
    // An external issuer's user has no account here to check the feed against at each fetch.
    if (!created) throw new UnprocessableEntityException('Calendar feeds are available to accounts of this system only');
    return { url: `/api/v1/${CALENDAR_FEED_ROUTE.replace(':secret', secret)}`, createdAt: created.createdAt };
  }

  /** Stops the user's feed URL; nothing to do (and nothing audited) when none is active. */
  async revoke(user: Principal, requestId?: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const revoked = await this.feeds.revoke(tx, user.userId);
      if (revoked) await this.record(tx, user, 'CALENDAR_FEED_REVOKED', revoked, requestId);
    });
  }

  /**
   * The calendar a secret opens. Every refusal is the same 404, whatever the reason, and is counted
   * in the anonymous denial audit per client address (a guessing client shows up without one row per guess).
   */
  async feed(secret: string, client: string): Promise<string> {
    const owner = SECRET.test(secret) ? await this.feeds.ownerOf(sha256(secret)) : null;
    const refusal = refusalOf(owner);
    if (refusal) {
      this.denials.count(client, refusal, `GET /api/v1/${CALENDAR_FEED_ROUTE}`);
      throw new NotFoundException('No such calendar feed');
    }
    return this.programs.calendarOfAll();
  }

  private async record(tx: Transaction, user: Principal, action: string, feed: CalendarFeedRow, requestId?: string, reason?: string) {
    await this.audit.record(
      {
        actor: user.username,
        role: user.roles.join(','),
        agency: user.agency,
        action,
        subjectType: 'calendar_feed',
        subjectId: feed.id,
        after: { userId: feed.userId, createdAt: feed.createdAt, revokedAt: feed.revokedAt },
        reason,
        requestId,
      },
      tx,
    );
  }
}
