import { Injectable } from '@nestjs/common';
import { change } from '../sql';
import { managerOf, Transaction } from '../unit-of-work';

/**
 * Information requests no agency task asked: SBA's request to the applicant for the size data it
 * needs (docs/spec.md section 2.4). Agency tasks' requests are TaskRepository's (their clocks toll).
 */
@Injectable()
export class InformationRequestRepository {
  async recordSizeRequest(
    tx: Transaction,
    r: { id: string; proposalId: string; question: string; asked: Record<string, unknown>; dueAt: Date },
  ): Promise<void> {
    await managerOf(tx).query(
      `INSERT INTO information_request (id, proposal_id, task_id, agency, question, asked_by, kind, asked, due_at)
       VALUES ($1, $2, NULL, 'SBA', $3, 'system', 'SBA_SIZE', $4::jsonb, $5) ON CONFLICT (id) DO NOTHING`,
      [r.id, r.proposalId, r.question, JSON.stringify(r.asked), r.dueAt],
    );
  }

  /** The applicant's answer, once, while the request is open: false when answered or lapsed before (or unknown). */
  async recordSizeAnswer(
    tx: Transaction,
    r: { id: string; answer: string; answerData: Record<string, unknown>; answeredBy: string },
  ): Promise<boolean> {
    const { count } = await change(
      managerOf(tx),
      `UPDATE information_request SET answer = $2, answer_data = $3::jsonb, answered_by = $4, answered_at = now()
        WHERE id = $1 AND answer IS NULL AND lapsed_at IS NULL`,
      [r.id, r.answer, JSON.stringify(r.answerData), r.answeredBy],
    );
    return count > 0;
  }

  /** The request's window closed unanswered. */
  async lapse(tx: Transaction, id: string): Promise<boolean> {
    const { count } = await change(
      managerOf(tx),
      `UPDATE information_request SET lapsed_at = now() WHERE id = $1 AND answer IS NULL AND lapsed_at IS NULL`,
      [id],
    );
    return count > 0;
  }
}
