import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes the workflows set, so the Temporal UI can list proposals by stage. */
export const STAGE_ATTRIBUTE = defineSearchAttributeKey('ExportsStage', SearchAttributeType.KEYWORD);
export const PENDING_AGENCIES_ATTRIBUTE = defineSearchAttributeKey('ExportsPendingAgencies', SearchAttributeType.KEYWORD_LIST);

export const SEARCH_ATTRIBUTES = [STAGE_ATTRIBUTE, PENDING_AGENCIES_ATTRIBUTE];
