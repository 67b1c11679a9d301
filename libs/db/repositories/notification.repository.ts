import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NotificationKind } from '../entities';
import { select } from '../sql';
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
   * Sends a batch of unsent notifications through `send` inside one transaction; rows are locked
   * with SKIP LOCKED, so several notifiers never send the same one twice.
   */
  async dispatch(limit: number, send: (n: PendingNotification) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await select<PendingNotification>(
        tx,
        `SELECT n.id::text, n.event_key AS "eventKey", n.kind, n.proposal_id AS "proposalId", n.task_id AS "taskId",
                n.recipient_role AS "recipientRole", n.recipient_agency AS "recipientAgency", n.recipient_username AS "recipientUsername",
                n.subject, n.body,
                COALESCE((SELECT json_agg(json_build_object('username', u.username, 'email', u.email) ORDER BY u.username) FROM app_user u
                          WHERE NOT u.disabled AND (u.username = n.recipient_username
                             OR (n.recipient_role = ANY(u.roles) AND u.agency IS NOT DISTINCT FROM n.recipient_agency))), '[]') AS recipients
           FROM notification n WHERE n.sent_at IS NULL ORDER BY n.id LIMIT $1 FOR UPDATE OF n SKIP LOCKED`,
        [limit],
      );
      for (const row of rows) {
        try {
          await send(row);
          await tx.query('UPDATE notification SET sent_at = now(), attempts = attempts + 1 WHERE id = $1', [row.id]);
        } catch (error) {
          await tx.query('UPDATE notification SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [row.id, String(error)]);
        }
      }
      return rows.length;
    });
  }
}
