import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NOT_RESCREENED, ON_HOLD_SCREENING_STATUS } from '../../domain/screening/rescreen';
import type { ProposalEntity } from '../entities';
import { change, Runner, select } from '../sql';
import { managerOf, Transaction } from '../unit-of-work';
import { RowNotFoundError } from './proposal.repository';

/** One entry of a proposal's screening history, as GET /proposals/:id shows it. */
export interface ScreeningHistoryItem {
  at: Date;
  kind: 'INTAKE' | 'RESCREEN';
  listVersion: { id: string; checksum: string; importedAt: Date };
  submissionVersion: number;
  status: string;
  matches: unknown[];
  newMatches: unknown[];
  decision: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export type ProposalToRescreen = Pick<ProposalEntity, 'id' | 'status' | 'version' | 'submission' | 'screening'>;

export interface RescreenRow {
  proposalId: string;
  submissionVersion: number;
  status: string;
  matches: unknown[];
  newMatches: unknown[];
}

export interface RescreenProgressRow {
  total: number;
  done: number;
  newMatches: number;
  finishedAt: Date | null;
}

/** A list version with its re-screening progress, for GET /screening/lists. */
export interface ListVersionWithProgress {
  id: string;
  source: string;
  checksum: string;
  importedAt: Date;
  entries: number;
  active: boolean;
  rescreen: RescreenProgressRow | null;
}

/**
 * The intake screening of the proposal's current submission version, written with its results
 * (idempotent per submission version and list version).
 */
export async function recordIntakeScreening(
  runner: Runner,
  proposalId: string,
  listId: string,
  status: string,
  matches: unknown[],
): Promise<void> {
  await runner.query(
    `INSERT INTO proposal_screening (proposal_id, list_id, kind, submission_version, status, matches)
     SELECT id, $2, 'INTAKE', version, $3, $4 FROM proposal WHERE id = $1 ON CONFLICT DO NOTHING`,
    [proposalId, listId, status, JSON.stringify(matches)],
  );
}

const PROGRESS = `total, done, new_matches AS "newMatches", finished_at AS "finishedAt"`;

/**
 * The only door to the screening history (every screening of every proposal, with its list version)
 * and to the re-screening batches' progress (docs/spec.md section 2.4a).
 */
@Injectable()
export class ScreeningRecordRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every screening of a proposal, oldest first. */
  history(proposalId: string): Promise<ScreeningHistoryItem[]> {
    return select<ScreeningHistoryItem>(
      this.db,
      `SELECT s.at, s.kind, json_build_object('id', l.id, 'checksum', l.checksum, 'importedAt', l.imported_at) AS "listVersion",
              s.submission_version AS "submissionVersion", s.status, s.matches, s.new_matches AS "newMatches",
              s.decision, s.decided_by AS "decidedBy", s.decided_at AS "decidedAt"
         FROM proposal_screening s JOIN screening_list l ON l.id = s.list_id
        WHERE s.proposal_id = $1 ORDER BY s.at, s.id`,
      [proposalId],
    );
  }

  /** Every list version, newest first, with its re-screening's progress when one ran. */
  listVersions(): Promise<ListVersionWithProgress[]> {
    return select<ListVersionWithProgress>(
      this.db,
      `SELECT l.id, l.source, l.checksum, l.imported_at AS "importedAt", l.entry_count AS entries, l.active,
              CASE WHEN r.list_id IS NULL THEN NULL ELSE json_build_object('total', r.total, 'done', r.done, 'newMatches', r.new_matches, 'finishedAt', r.finished_at) END AS rescreen
         FROM screening_list l LEFT JOIN screening_rescreen r ON r.list_id = l.id
        ORDER BY l.imported_at DESC, l.id`,
    );
  }

  /** The active list version, when its re-screening has not run to its end (or not started). */
  async activeUnfinished(): Promise<string | null> {
    const [row] = await select<{ id: string }>(
      this.db,
      `SELECT l.id FROM screening_list l LEFT JOIN screening_rescreen r ON r.list_id = l.id WHERE l.active AND r.finished_at IS NULL`,
    );
    return row?.id ?? null;
  }

  /**
   * Starts (once) a list version's progress row: the proposals to re-screen are those not in a state
   * that ends screening and filed before the list was imported (later ones were screened against it at intake).
   */
  async beginRescreen(listId: string): Promise<RescreenProgressRow> {
    await this.db.query(
      `INSERT INTO screening_rescreen (list_id, total)
       SELECT l.id, (SELECT count(*) FROM proposal p WHERE p.status <> ALL($2) AND p.created_at <= l.imported_at)
         FROM screening_list l WHERE l.id = $1
       ON CONFLICT (list_id) DO NOTHING`,
      [listId, NOT_RESCREENED],
    );
    return this.progress(listId);
  }

  async progress(listId: string, tx?: Transaction): Promise<RescreenProgressRow> {
    const [row] = await select<RescreenProgressRow>(
      tx ? managerOf(tx) : this.db,
      `SELECT ${PROGRESS} FROM screening_rescreen WHERE list_id = $1`,
      [listId],
    );
    if (!row) throw new RowNotFoundError('Re-screening of list', listId);
    return row;
  }

  /** The next page of proposals to re-screen after `after` (keyset on the proposal id). */
  page(listId: string, after: string | null, limit: number): Promise<ProposalToRescreen[]> {
    return select<ProposalToRescreen>(
      this.db,
      `SELECT p.id, p.status, p.version, p.submission, p.screening
         FROM proposal p JOIN screening_list l ON l.id = $1
        WHERE p.status <> ALL($2) AND p.created_at <= l.imported_at AND ($3::uuid IS NULL OR p.id > $3::uuid)
        ORDER BY p.id LIMIT $4`,
      [listId, NOT_RESCREENED, after, limit],
    );
  }

  /**
   * Matches of earlier re-screenings that someone has cleared or is adjudicating (the ones their
   * tasks showed), per proposal: a later list version does not ask about them again.
   */
  async adjudicatedMatches(proposalIds: string[]): Promise<Map<string, unknown[]>> {
    const rows = await select<{ proposalId: string; matches: unknown[] }>(
      this.db,
      `SELECT proposal_id AS "proposalId", jsonb_agg(m) AS matches
         FROM proposal_screening s, jsonb_array_elements(s.new_matches) m
        WHERE s.proposal_id = ANY($1) AND s.kind = 'RESCREEN' AND (s.decision IS NULL OR s.decision = 'CLEAR')
        GROUP BY proposal_id`,
      [proposalIds],
    );
    return new Map(rows.map((r) => [r.proposalId, r.matches]));
  }

  /** Records a re-screening; idempotent per (list version, proposal). Returns whether it was new. */
  async recordRescreen(tx: Transaction, listId: string, row: RescreenRow): Promise<boolean> {
    const inserted = await select<{ id: string }>(
      managerOf(tx),
      `INSERT INTO proposal_screening (proposal_id, list_id, kind, submission_version, status, matches, new_matches)
       VALUES ($1, $2, 'RESCREEN', $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
      [row.proposalId, listId, row.submissionVersion, row.status, JSON.stringify(row.matches), JSON.stringify(row.newMatches)],
    );
    return inserted.length > 0;
  }

  /** Counts a page's newly recorded re-screenings into the batch's progress. */
  async addProgress(tx: Transaction, listId: string, done: number, newMatches: number): Promise<RescreenProgressRow> {
    await managerOf(tx).query(`UPDATE screening_rescreen SET done = done + $2, new_matches = new_matches + $3 WHERE list_id = $1`, [
      listId,
      done,
      newMatches,
    ]);
    return this.progress(listId, tx);
  }

  /** The batch is over: proposals that reached a final state meanwhile were not re-screened, so the total is what was. */
  async finishRescreen(listId: string): Promise<RescreenProgressRow> {
    await this.db.query(`UPDATE screening_rescreen SET total = done, finished_at = COALESCE(finished_at, now()) WHERE list_id = $1`, [
      listId,
    ]);
    return this.progress(listId);
  }

  /** The re-screenings of this list that found new matches among these proposals (also those recorded by an earlier attempt). */
  newlyMatched(listId: string, proposalIds: string[]): Promise<{ proposalId: string; matches: unknown[] }[]> {
    return select(
      this.db,
      `SELECT proposal_id AS "proposalId", new_matches AS matches FROM proposal_screening
        WHERE list_id = $1 AND kind = 'RESCREEN' AND proposal_id = ANY($2) AND jsonb_array_length(new_matches) > 0
        ORDER BY proposal_id`,
      [listId, proposalIds],
    );
  }

  /**
   * The adjudicator's decision on a re-screening's new matches. Returns whether the proposal has
   * other re-screenings still awaiting a decision (then its hold stays).
   */
  async recordDecision(
    tx: Transaction,
    listId: string,
    proposalId: string,
    decision: { decision: string; decidedBy: string | null; taskId: string },
  ): Promise<{ otherPending: boolean }> {
    const { count } = await change(
      managerOf(tx),
      `UPDATE proposal_screening SET decision = $3, decided_by = $4, decided_at = now(), task_id = $5
        WHERE list_id = $1 AND proposal_id = $2 AND kind = 'RESCREEN' RETURNING id`,
      [listId, proposalId, decision.decision, decision.decidedBy, decision.taskId],
    );
    if (!count) throw new RowNotFoundError(`Re-screening against list ${listId} of proposal`, proposalId);
    const [{ pending }] = await select<{ pending: boolean }>(
      managerOf(tx),
      `SELECT EXISTS (SELECT 1 FROM proposal_screening WHERE proposal_id = $1 AND kind = 'RESCREEN' AND decision IS NULL
                        AND jsonb_array_length(new_matches) > 0) AS pending`,
      [proposalId],
    );
    return { otherPending: pending };
  }

  /** Puts the proposal on hold: a re-screening found matches to adjudicate (its status itself does not change). */
  async hold(tx: Transaction, proposalId: string, rescreen: { listVersionId: string; matches: unknown[]; at: string }): Promise<void> {
    await managerOf(tx).query(
      `UPDATE proposal SET screening = screening || jsonb_build_object('status', $2::text, 'rescreen', $3::jsonb) WHERE id = $1`,
      [proposalId, ON_HOLD_SCREENING_STATUS, JSON.stringify(rescreen)],
    );
  }

  /**
   * The decision on a re-screening's matches, on the proposal's screening: CONFIRMED_MATCH, or
   * CLEAR, which lifts the hold unless another re-screening still awaits its decision.
   */
  async recordProposalDecision(
    tx: Transaction,
    proposalId: string,
    status: string,
    adjudication: { decision: string; decidedBy: string | null; comment: string | null },
  ): Promise<void> {
    await managerOf(tx).query(
      `UPDATE proposal SET screening = jsonb_set(screening || jsonb_build_object('status', $2::text), '{rescreen,adjudication}', $3::jsonb)
        WHERE id = $1`,
      [proposalId, status, JSON.stringify(adjudication)],
    );
  }

  /**
   * A COMPLETED package found on a list becomes INELIGIBLE here: its workflow has closed, so no
   * workflow step orders this move. Returns whether it was COMPLETED (and so moved).
   */
  async closeCompletedAsIneligible(tx: Transaction, proposalId: string): Promise<boolean> {
    const { count } = await change(
      managerOf(tx),
      `UPDATE proposal SET status = 'INELIGIBLE', status_step = status_step + 1 WHERE id = $1 AND status = 'COMPLETED' RETURNING id`,
      [proposalId],
    );
    return count > 0;
  }

  /** Records the revocation of a designation, once. Returns whether it was new. */
  async revokeDesignation(
    tx: Transaction,
    proposalId: string,
    revocation: NonNullable<ProposalEntity['designationRevocation']>,
  ): Promise<boolean> {
    const { count } = await change(
      managerOf(tx),
      `UPDATE proposal SET designation_revocation = $2 WHERE id = $1 AND designation_revocation IS NULL RETURNING id`,
      [proposalId, JSON.stringify(revocation)],
    );
    return count > 0;
  }
}
