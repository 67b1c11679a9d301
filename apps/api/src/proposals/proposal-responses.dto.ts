import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEFICIENCY_CODES } from '../../../../libs/domain/intake/completeness';
import { PROPOSAL_STATUSES } from '../../../../libs/domain/intake/proposal-status';
import { PagedListDto } from '../common/openapi';
import { ListedDocumentDto } from '../documents/document-responses.dto';
import { ANY_OBJECT } from '../common/response.dto';

/** 201 of POST /proposals, 202 of amendments and withdrawals: the proposal and the status it moved to. */
export class ProposalStatusDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: string;
  @ApiPropertyOptional({ description: 'The submission version an amendment created' }) version?: number;
}

export class DeficiencyDto {
  @ApiProperty({ enum: DEFICIENCY_CODES }) code: string;
  @ApiProperty({ description: 'What is missing and how to supply it' }) message: string;
  @ApiProperty({ example: '3(b)(iii)' }) eoRef: string;
}

export class CodedMessageDto {
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

export class EligibilityDto {
  @ApiProperty({ type: Boolean, nullable: true }) eligible: boolean | null;
  @ApiProperty({ type: [CodedMessageDto] }) reasons: CodedMessageDto[];
}

/** What intake would find in a draft (POST /proposals/checks); nothing is filed. */
export class ProposalPrecheckDto {
  @ApiProperty({ type: [DeficiencyDto] }) deficiencies: DeficiencyDto[];
  @ApiProperty({ type: EligibilityDto }) eligibility: EligibilityDto;
}

export class ScreeningMatchDto {
  @ApiProperty() party: string;
  @ApiProperty() source: string;
  @ApiProperty() listedName: string;
  @ApiProperty() score: number;
}

export class ScreeningDto {
  @ApiProperty({ enum: ['PENDING', 'CLEAR', 'POTENTIAL_MATCH', 'CONFIRMED_MATCH'] }) status: string;
  @ApiPropertyOptional({ type: [ScreeningMatchDto], description: 'Staff only' }) matches?: ScreeningMatchDto[];
}

export class ReviewDto {
  @ApiProperty() agency: string;
  @ApiProperty({ enum: ['REVIEW', 'CONSULTATION'] }) kind: string;
  @ApiProperty({ type: String, nullable: true }) position: string | null;
  @ApiProperty({ type: [String], nullable: true }) conditions: string[] | null;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedBy: string | null;
}

export class DesignationDto {
  @ApiProperty() decision: string;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Staff only' }) decidedBy?: string | null;
}

export class FinancingOutcomeDto {
  @ApiProperty() instrumentId: string;
  @ApiProperty() agency: string;
  @ApiProperty({ type: Number, nullable: true }) amountUsd: number | null;
  @ApiProperty({ enum: ['PENDING', 'COMMITTED', 'DECLINED'] }) status: string;
}

export class SbaReferralDto {
  @ApiProperty({ enum: ['NOT_APPLICABLE', 'PENDING', 'ACCEPTED', 'DECLINED', 'NEEDS_INFORMATION'] }) status: string;
  @ApiProperty({ type: 'array', items: ANY_OBJECT }) members: Record<string, unknown>[];
}

export class TimelineEntryDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() action: string;
  @ApiProperty() actor: string;
  @ApiProperty(ANY_OBJECT) detail: Record<string, unknown>;
}

/** A request to the applicant and its answer, as the applicant sees it. */
export class InformationRequestViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() agency: string;
  @ApiProperty() question: string;
  @ApiProperty({ format: 'date-time' }) askedAt: string;
  @ApiProperty({ type: String, nullable: true }) answer: string | null;
  @ApiProperty({ type: String, nullable: true }) answeredBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt: string | null;
  @ApiProperty({ type: [String], description: 'Documents the answer cites' }) documentIds: string[];
}

export class AnsweredInformationRequestDto extends InformationRequestViewDto {
  @ApiProperty({ description: 'How long the asking task was paused, in ms' }) pausedMs: number;
}

/** The list version a screening used. */
export class ScreeningListRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'SHA-256 of the imported list file' }) checksum: string;
  @ApiProperty({ format: 'date-time' }) importedAt: string;
}

/** One screening the proposal had (docs/spec.md section 2.4a); staff only. */
export class ScreeningRecordDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: ['INTAKE', 'RESCREEN'] }) kind: string;
  @ApiProperty({ format: 'uuid', description: 'The screening list version used' }) listVersion: string;
  @ApiProperty({ type: ScreeningListRefDto }) list: ScreeningListRefDto;
  @ApiProperty({ description: 'The submission version screened' }) submissionVersion: number;
  @ApiProperty({ enum: ['PENDING', 'CLEAR', 'POTENTIAL_MATCH', 'CONFIRMED_MATCH'] }) status: string;
  @ApiProperty({ type: [ScreeningMatchDto] }) matches: ScreeningMatchDto[];
  @ApiProperty({ type: String, nullable: true }) decision: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
}

/** One designation benefit's referral (docs/spec.md section 2.3a); staff also see who decided and why. */
export class BenefitOutcomeDto {
  @ApiProperty({ enum: ['PENDING', 'ACCEPTED', 'PRIORITIZED', 'DECLINED'] }) status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
}

export class BenefitsDto {
  @ApiProperty({ type: BenefitOutcomeDto, nullable: true, description: "ITA's advocacy referral" }) advocacy: BenefitOutcomeDto | null;
  @ApiProperty({ type: BenefitOutcomeDto, nullable: true, description: "BIS's priority licensing review, when license-flagged" })
  licensing: BenefitOutcomeDto | null;
}

/**
 * GET /proposals/:id (docs/spec.md section 7). An applicant sees the allow-list of section 1: no
 * flags, reviews, matches, staff names or internal comments (those lists come back empty).
 */
export class ProposalDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: string;
  @ApiPropertyOptional({ description: 'The status in plain words; applicants only' }) statusLabel?: string;
  @ApiProperty({ type: String, nullable: true }) organisation: string | null;
  @ApiProperty() submittedBy: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) callId: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ ...ANY_OBJECT, description: 'The current submission (the body of POST /proposals)' }) submission: Record<string, unknown>;
  @ApiProperty({ type: [DeficiencyDto] }) deficiencies: DeficiencyDto[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) amendBy: string | null;
  @ApiProperty({ type: EligibilityDto }) eligibility: EligibilityDto;
  @ApiProperty({ type: [CodedMessageDto] }) flags: CodedMessageDto[];
  @ApiProperty({ type: ScreeningDto }) screening: ScreeningDto;
  @ApiProperty({ type: [ReviewDto] }) reviews: ReviewDto[];
  @ApiProperty({ type: DesignationDto, nullable: true }) designation: DesignationDto | null;
  @ApiProperty({ type: [FinancingOutcomeDto] }) financing: FinancingOutcomeDto[];
  @ApiProperty({ type: SbaReferralDto, nullable: true }) sbaReferral: SbaReferralDto | null;
  @ApiProperty({ type: [InformationRequestViewDto] }) informationRequests: InformationRequestViewDto[];
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [ListedDocumentDto] }) documents: ListedDocumentDto[];
  @ApiProperty({ type: BenefitsDto }) benefits: BenefitsDto;
  @ApiPropertyOptional({ type: [ScreeningRecordDto], description: 'Every screening, newest last; staff only' })
  screenings?: ScreeningRecordDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ProposalListItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: string;
  @ApiPropertyOptional({ description: 'The status in plain words; applicants only' }) statusLabel?: string;
  @ApiProperty({ type: String, nullable: true }) organisation: string | null;
  @ApiProperty({ type: [String] }) targetMarkets: string[];
  @ApiPropertyOptional({ type: [String], description: 'Flag codes; staff only' }) flags?: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ProposalPageDto extends PagedListDto(ProposalListItemDto) {}

/** One stored version of a proposal (docs/spec.md section 2.4b). */
export class ProposalVersionDto {
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
  @ApiProperty() submittedBy: string;
  @ApiProperty({
    ...ANY_OBJECT,
    description: 'The request body as sent: the whole submission for version 1, the replaced sections for an amendment',
  })
  body: Record<string, unknown>;
}

export class ProposalVersionListDto {
  @ApiProperty({ type: [ProposalVersionDto] }) items: ProposalVersionDto[];
}
