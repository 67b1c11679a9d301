import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox page (GET /tasks) is ordered escalated first, then by due date, then id (a total order,
 * so pages never overlap). At 100k tasks a sort of every visible row cost 15-35 ms (issue 12); the
 * first two indexes hand the page over in order: an agency's tasks (type and status checked in the
 * index), and every agency's for oversight. The page's total is counted from the third: its few
 * distinct keys deduplicate, so it is a fraction of the size.
 */
export class InboxPageIndexes1764300001300 implements MigrationInterface {
  name = 'InboxPageIndexes1764300001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_task_inbox_page ON task (agency, escalated DESC, due_at, id, type, status)`);
    await q.query(`CREATE INDEX idx_task_page ON task (escalated DESC, due_at, id)`);
    await q.query(`CREATE INDEX idx_task_count ON task (agency, type, status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_task_count`);
    await q.query(`DROP INDEX idx_task_page`);
    await q.query(`DROP INDEX idx_task_inbox_page`);
  }
}
