import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO31661Alpha2, IsOptional, IsString, MaxLength } from 'class-validator';
import { PROPOSAL_STATUSES, ProposalStatus } from '../../../../libs/domain/intake/proposal-status';
import { PageParam, PageSizeParam } from '../common/dto-decorators';
import { FormatQuery } from '../common/format.query';

export class ProposalListQuery extends FormatQuery {
  @ApiPropertyOptional({ enum: PROPOSAL_STATUSES }) @IsOptional() @IsIn(PROPOSAL_STATUSES) status?: ProposalStatus;
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsISO31661Alpha2()
  targetMarket?: string;
  @ApiPropertyOptional({ description: 'Words in the title or consortium name' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @PageParam() page: number = 1;
  @PageSizeParam(100) pageSize: number = 20;
}
