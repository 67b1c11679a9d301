import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { AGENCIES, Agency } from '../../../../libs/domain/identity/roles';
import { FormatQuery } from '../common/format.query';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `GET /reports/pipeline?from=&to=&agency=&format=` (docs/spec.md section 7, Oversight). */
export class PipelineQuery extends FormatQuery {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'First day counted (inclusive), YYYY-MM-DD' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;
  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last day counted (inclusive), YYYY-MM-DD' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
  @ApiPropertyOptional({ enum: AGENCIES }) @IsOptional() @IsIn(AGENCIES) agency?: Agency;
}
