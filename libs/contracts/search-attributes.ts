import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes the workflows set, so the Temporal UI can list proposals by stage. */
export const STAGE_ATTRIBUTE = defineSearchAttributeKey('ExportsStage', SearchAttributeType.KEYWORD);
export const PENDING_AGENCIES_ATTRIBUTE = defineSearchAttributeKey('ExportsPendingAgencies', SearchAttributeType.KEYWORD_LIST);

/** A re-screening batch's progress (docs/spec.md section 2.4a): proposals re-screened of the total, and new matches. */
export const RESCREEN_DONE_ATTRIBUTE = defineSearchAttributeKey('ExportsRescreenDone', SearchAttributeType.INT);
export const RESCREEN_TOTAL_ATTRIBUTE = defineSearchAttributeKey('ExportsRescreenTotal', SearchAttributeType.INT);
export const RESCREEN_NEW_MATCHES_ATTRIBUTE = defineSearchAttributeKey('ExportsRescreenNewMatches', SearchAttributeType.INT);

export const SEARCH_ATTRIBUTES = [
  STAGE_ATTRIBUTE,
  PENDING_AGENCIES_ATTRIBUTE,
  RESCREEN_DONE_ATTRIBUTE,
  RESCREEN_TOTAL_ATTRIBUTE,
  RESCREEN_NEW_MATCHES_ATTRIBUTE,
];
