import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NotificationKind } from '../entities';
import { change } from '../sql';
import { managerOf, Transaction } from '../unit-of-work';

export type { NotificationKind };

export interface NewNotification {
  eventKey: string;
  kind: NotificationKind;
  proposalId?: string | null;
  programId?: string | null;
  taskId?: string | null;
  /** Everyone holding this role at this agency, or one named user. */
  recipientRole?: string | null;
  recipientAgency?: string | null;
  recipientUsername?: string | null;
  subject: string;
  body: string;
}

export interface PendingNotification extends NewNotification {
  id: string;
  /** Attempts so far, this one included. */
  attempts: number;
  recipients: { username: string; email: string | null }[];
}

/** The only door to the notification outbox. */
@Injectable()
export class NotificationRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Idempotent per event key: a retried activity enqueues nothing new. */
  async enqueue(tx: Transaction, n: NewNotification): Promise<void> {
    await managerOf(tx).query(
      `INSERT INTO notification (event_key, kind, proposal_id, program_id, task_id, recipient_role, recipient_agency, recipient_username, subject, body)
       VALUES ($1, $2, $3, $10, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_key) DO NOTHING`,
      [
        n.eventKey,
        n.kind,
        n.proposalId ?? null,
        n.taskId ?? null,
        n.recipientRole ?? null,
        n.recipientAgency ?? null,
        n.recipientUsername ?? null,
        n.subject,
        n.body,
        n.programId ?? null,
      ],
    );
  }

  /**
   * Claims up to `limit` due notifications for `leaseMs`: each claim counts an attempt and commits
   * before anything is sent (rows locked with SKIP LOCKED, so several notifiers never claim the same
   * one). A claim whose notifier dies lapses with its lease and the row is claimed again.
   */
  async claim(limit: number, leaseMs: number): Promise<PendingNotification[]> {
    const { rows } = await change<PendingNotification>(
      this.db,
      `WITH due AS (
         SELECT id FROM notification
          WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
          ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE notification n SET claimed_until = now() + ($2::text || ' milliseconds')::interval, attempts = n.attempts + 1
         FROM due WHERE n.id = due.id
       RETURNING n.id::text, n.event_key AS "eventKey", n.kind, n.proposal_id AS "proposalId", n.program_id AS "programId", n.task_id AS "taskId",
                 n.recipient_role AS "recipientRole", n.recipient_agency AS "recipientAgency", n.recipient_username AS "recipientUsername",
                 n.subject, n.body, n.attempts,
                 COALESCE((SELECT json_agg(json_build_object('username', u.username, 'email', u.email) ORDER BY u.username) FROM app_user u
                           WHERE NOT u.disabled AND (u.username = n.recipient_username
                              OR (n.recipient_role = ANY(u.roles) AND u.agency IS NOT DISTINCT FROM n.recipient_agency))), '[]') AS recipients`,
      [limit, String(leaseMs)],
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Sent to these users (the recipients resolved at the claim). */
  async markSent(id: string, deliveredTo: readonly string[]): Promise<void> {
    await this.db.query(
      'UPDATE notification SET sent_at = now(), delivered_to = $2, claimed_until = NULL, last_error = NULL WHERE id = $1',
      [id, deliveredTo],
    );
  }

  /**
   * A failed attempt: the row is due again after `retryInMs`, or, when `dead` (its attempts are used
   * up), is dead-lettered and never claimed again.
   */
  async markFailed(id: string, error: string, next: { dead: true } | { dead: false; retryInMs: number }): Promise<void> {
    if (next.dead) {
      await this.db.query('UPDATE notification SET dead_at = now(), claimed_until = NULL, last_error = $2 WHERE id = $1', [id, error]);
      return;
    }
    await this.db.query(
      `UPDATE notification SET next_attempt_at = now() + ($3::text || ' milliseconds')::interval, claimed_until = NULL, last_error = $2 WHERE id = $1`,
      [id, error, String(next.retryInMs)],
    );
  }
}
