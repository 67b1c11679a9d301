import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { APPLICATION_SECTORS, ApplicationSector, STACK_LAYERS, StackLayer } from '../../../../libs/domain/intake/submission';
import { FINANCING_INSTRUMENT_IDS } from '../../../../libs/reference-data';
import { IsNotBlank, NestedList } from '../common/dto-decorators';
import { CitedDocumentIds } from '../documents/cited-documents';

const SHORT = 300;
const LONG = 20_000;

export class MemberDto {
  @IsString() @IsNotBlank() @MaxLength(SHORT) name: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2' }) @IsISO31661Alpha2() country: string;
  @IsOptional() @IsString() @MaxLength(SHORT) ultimateParentName?: string;
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2' }) @IsOptional() @IsISO31661Alpha2() ultimateParentCountry?: string;
  @ApiPropertyOptional({ enum: STACK_LAYERS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(STACK_LAYERS.length)
  @IsIn(STACK_LAYERS, { each: true })
  layers?: StackLayer[];
  @IsOptional() @IsBoolean() usConcern?: boolean;
  @ApiPropertyOptional({ description: 'NAICS code, 2 to 6 digits' })
  @IsOptional()
  @Matches(/^\d{2,6}$/, { message: 'naics must be a 2 to 6 digit NAICS code' })
  naics?: string;
  @IsOptional() @IsInt() @Min(0) @Max(10_000_000) employees?: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) averageAnnualReceiptsUsd?: number;
}

export class ConsortiumDto {
  @IsString() @IsNotBlank() @MaxLength(SHORT) name: string;
  @ApiProperty({ description: "One member's name" }) @IsString() @IsNotBlank() @MaxLength(SHORT) anchorMember: string;
  @ApiProperty({ type: [MemberDto] })
  @NestedList(() => MemberDto, { min: 1, max: 50 })
  members: MemberDto[];
}

export class HardwareDto {
  @IsOptional() @IsString() @MaxLength(LONG) description?: string;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(100) usContentPct?: number;
  @IsOptional() @IsString() @MaxLength(LONG) usManufacturingStatement?: string;
  @ApiPropertyOptional({ description: 'Export Control Classification Numbers, e.g. 3A090' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[0-9][A-E][0-9]{3}(\.[a-z0-9.]+)?$/i, { each: true, message: 'each of eccns must be an ECCN such as 3A090' })
  eccns?: string[];
}

export class DescribedDto {
  @IsOptional() @IsString() @MaxLength(LONG) description?: string;
}

/** A model the models layer names (EO 3(b)(i)(C)); open weights from a country of concern make a proposal ineligible (the 2026 call, as reported). */
export class NamedModelDto {
  @IsString() @IsNotBlank() @MaxLength(SHORT) name: string;
  @ApiProperty({ description: "ISO 3166-1 alpha-2 country of the model's developer" }) @IsISO31661Alpha2() originCountry: string;
  @IsBoolean() openWeights: boolean;
}

export class ModelsLayerDto extends DescribedDto {
  @ApiPropertyOptional({ type: [NamedModelDto] }) @IsOptional() @NestedList(() => NamedModelDto, { max: 50 }) models?: NamedModelDto[];
}

export class ApplicationDto {
  @ApiProperty({ enum: APPLICATION_SECTORS }) @IsIn(APPLICATION_SECTORS) sector: ApplicationSector;
  @IsOptional() @IsString() @MaxLength(LONG) description?: string;
}

export class StackDto {
  @IsOptional() @IsObject() @ValidateNested() @Type(() => HardwareDto) hardware?: HardwareDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DescribedDto) dataPipelines?: DescribedDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ModelsLayerDto) models?: ModelsLayerDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DescribedDto) security?: DescribedDto;
  @ApiPropertyOptional({ type: [ApplicationDto] })
  @IsOptional()
  @NestedList(() => ApplicationDto, { max: 50 })
  applications?: ApplicationDto[];
}

export class BusinessModelDto {
  @IsOptional() @IsString() @MaxLength(SHORT) builder?: string;
  @IsOptional() @IsString() @MaxLength(SHORT) owner?: string;
  @IsOptional() @IsString() @MaxLength(SHORT) operator?: string;
  @IsOptional() @IsString() @MaxLength(LONG) description?: string;
}

export class FederalSupportDto {
  @ApiProperty({ enum: FINANCING_INSTRUMENT_IDS }) @IsIn(FINANCING_INSTRUMENT_IDS) instrumentId: string;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) amountUsd?: number;
  @IsOptional() @IsString() @MaxLength(LONG) notes?: string;
}

export class ComplianceDto {
  @IsOptional() @IsBoolean() exportControlAttestation?: boolean;
  @IsOptional() @IsBoolean() outboundInvestmentAttestation?: boolean;
  @IsOptional() @IsString() @MaxLength(LONG) endUserScreening?: string;
}

/** A full-stack AI export package as submitted by a consortium's anchor member (docs/spec.md section 7; EO 3(b)). */
export class SubmitProposalDto {
  @IsString() @IsNotBlank() @MaxLength(SHORT) title: string;
  @IsOptional() @IsString() @MaxLength(LONG) summary?: string;
  @IsObject() @ValidateNested() @Type(() => ConsortiumDto) consortium: ConsortiumDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => StackDto) stack?: StackDto;
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 codes', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @IsISO31661Alpha2({ each: true })
  targetMarkets?: string[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => BusinessModelDto) businessModel?: BusinessModelDto;
  @ApiPropertyOptional({ type: [FederalSupportDto] })
  @IsOptional()
  @NestedList(() => FederalSupportDto, { max: 30 })
  federalSupport?: FederalSupportDto[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ComplianceDto) compliance?: ComplianceDto;
}

/** docs/spec.md section 7: the same shape, every section optional; the sections given replace the stored ones. */
export class AmendProposalDto extends PartialType(SubmitProposalDto) {}

export class WithdrawProposalDto {
  @IsString() @IsNotBlank() @MaxLength(LONG) reason: string;
}

export class InformationRequestDto {
  @IsString() @IsNotBlank() @MaxLength(LONG) question: string;
}

/** One member's size figures, validated as in the submission (docs/spec.md section 2.4). */
export class SizeInformationMemberDto extends PickType(MemberDto, [
  'name',
  'usConcern',
  'naics',
  'employees',
  'averageAnnualReceiptsUsd',
] as const) {}

export class SizeInformationDataDto {
  @ApiProperty({ type: [SizeInformationMemberDto] })
  @NestedList(() => SizeInformationMemberDto, { min: 1, max: 100 })
  members: SizeInformationMemberDto[];
}

export class InformationAnswerDto {
  @ApiPropertyOptional({ description: 'Required unless `data` answers a request for size information' })
  @ValidateIf((o: InformationAnswerDto) => o.data === undefined)
  @IsString()
  @IsNotBlank()
  @MaxLength(LONG)
  answer?: string;
  @CitedDocumentIds() documentIds?: string[];
  @ApiPropertyOptional({ description: "SBA's request for size information: the figures per member it asked about" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SizeInformationDataDto)
  data?: SizeInformationDataDto;
}
