/**
 * The continuous-screening context (docs/spec.md section 2.4a): one batch workflow per activated
 * list version re-screens the open proposals page by page, and one watch workflow per newly matched
 * proposal runs its adjudication. Both run on the intake task queue, beside the screening activities.
 */

/** Idempotent per list version: the batch's workflow id is the list version's id. */
export const rescreenWorkflowId = (listVersionId: string): string => `rescreen:${listVersionId}`;

/** One watch per proposal and list version. */
export const rescreenWatchWorkflowId = (listVersionId: string, proposalId: string): string => `rescreen:${listVersionId}:${proposalId}`;

/** Proposals per page activity, and pages per run before the batch continues as new with its cursor. */
export const RESCREEN_PAGE_SIZE = 50;
export const RESCREEN_PAGES_PER_RUN = 20;

export interface RescreenInput {
  listVersionId: string;
  /** Keyset cursor: the last proposal id re-screened (null on the first run). */
  after?: string | null;
  /** Overrides for tests. */
  pageSize?: number;
  pagesPerRun?: number;
}

export interface RescreenProgress {
  total: number;
  done: number;
  newMatches: number;
}

/** A proposal whose re-screening found matches nobody has adjudicated yet. */
export interface NewlyMatched {
  proposalId: string;
  matches: unknown[];
}

export interface RescreenPage {
  /** The cursor after this page, or null when the page was the last. */
  next: string | null;
  newlyMatched: NewlyMatched[];
  progress: RescreenProgress;
}

export interface RescreenWatchInput {
  listVersionId: string;
  proposalId: string;
  matches: unknown[];
}

export interface RescreenAdjudication {
  listVersionId: string;
  proposalId: string;
  taskId: string;
  decision: string;
  decidedBy: string | null;
  comment: string | null;
}
