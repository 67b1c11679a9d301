import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { MilestoneEvidence } from '../../../../libs/contracts/program';
import { AGENCIES, Agency } from '../../../../libs/domain/identity/roles';
import { IsNotBlank, NestedList } from '../common/dto-decorators';

export class MilestoneDto {
  @ApiPropertyOptional({ description: 'Short id other milestones name in dependsOn; generated when absent' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'key must be lower-case letters, digits and dashes' })
  key?: string;
  @IsString() @IsNotBlank() @MaxLength(300) title: string;
  @IsIn(AGENCIES) ownerAgency: Agency;
  @IsInt() @Min(0) @Max(3650) dueDay: number;
  @IsOptional() @IsString() @MaxLength(50) eoRef?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) dependsOn?: string[];
}

export class CreateProgramDto {
  @IsString() @IsNotBlank() @MaxLength(300) name: string;
  @ApiPropertyOptional({ example: '2025-07-23' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startDate must be a date YYYY-MM-DD' })
  startDate: string;
  @IsOptional() @IsInt() @Min(1) @Max(3650) deadlineDays?: number;
  @ApiPropertyOptional({
    type: [MilestoneDto],
    description: 'Omitted: the milestones of the default plan (data/program-plan-default.json)',
  })
  @IsOptional()
  @NestedList(() => MilestoneDto, { max: 100 })
  milestones?: MilestoneDto[];
}

export class EvidenceDto {
  @IsString() @IsNotBlank() @MaxLength(5000) text: string;
  @IsOptional() @IsUrl({ require_tld: false }) link?: string;
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Documents attached to the proposal or program that show it done' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true, message: 'each of documentIds must be a document id (UUID)' })
  documentIds?: string[];
}

/** The evidence as sent: a statement alone is read as `{text}` so both shapes validate as one. */
function asEvidence({ value }: { value: unknown }): unknown {
  if (typeof value === 'string') return plainToInstance(EvidenceDto, { text: value });
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? plainToInstance(EvidenceDto, value) : value;
}

@ApiExtraModels(EvidenceDto)
export class CompleteMilestoneDto {
  @ApiProperty({
    description: 'A statement, or the statement with a link and the documents it cites (docs/spec.md section 7)',
    oneOf: [{ type: 'string', minLength: 1, maxLength: 5000 }, { $ref: getSchemaPath(EvidenceDto) }],
  })
  @Transform(asEvidence)
  @IsObject({ message: 'evidence must be a statement or an object {text, link?, documentIds?}' })
  @ValidateNested()
  // Typed by its interface, not the class, so the document keeps the oneOf above instead of a $ref to EvidenceDto alone.
  evidence: MilestoneEvidence;
}

export class RebaselineMilestoneDto {
  @IsInt() @Min(0) @Max(3650) dueDay: number;
  @IsString() @IsNotBlank() @MaxLength(5000) reason: string;
}

export class CreateCallDto {
  @IsString() @IsNotBlank() @MaxLength(300) title: string;
  @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'openDate must be a date YYYY-MM-DD' }) openDate: string;
  @ApiPropertyOptional({ description: 'Default: openDate + 90 days (EO 14320 sec. 3(c))' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'closeDate must be a date YYYY-MM-DD' })
  closeDate?: string;
  @ApiPropertyOptional({ description: "Refuse submissions outside this call's window" }) @IsOptional() @IsBoolean() governsIntake?: boolean;
}
