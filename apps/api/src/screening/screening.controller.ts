import { Controller, Get } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../libs/auth';
import { ScreeningRecordRepository } from '../../../../libs/db';
import { ApiOperationDoc } from '../common/openapi';

export class RescreenProgressDto {
  @ApiProperty({ description: 'Proposals to re-screen (once finished: those re-screened)' }) total: number;
  @ApiProperty({ description: 'Proposals re-screened so far' }) done: number;
  @ApiProperty({ description: 'Proposals with matches nobody had adjudicated: each has an adjudication task' }) newMatches: number;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) finishedAt: Date | null;
}

export class ScreeningListVersionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The imported file' }) source: string;
  @ApiProperty({ description: 'SHA-256 of the imported file' }) checksum: string;
  @ApiProperty({ type: String, format: 'date-time' }) importedAt: Date;
  @ApiProperty({ description: 'Entries in the list' }) entries: number;
  @ApiProperty({ description: 'Whether intake screens against this version' }) active: boolean;
  @ApiPropertyOptional({ type: RescreenProgressDto, nullable: true, description: "The version's re-screening batch, once started" })
  rescreen: RescreenProgressDto | null;
}

export class ScreeningListsDto {
  @ApiProperty({ type: [ScreeningListVersionDto] }) items: ScreeningListVersionDto[];
}

/** The screening list versions and the progress of each one's re-screening (docs/spec.md section 2.4a). */
@ApiTags('screening')
@Controller('screening')
export class ScreeningController {
  constructor(private readonly records: ScreeningRecordRepository) {}

  @Get('lists')
  @Roles('COMPLIANCE_OFFICER', 'AUDITOR', 'PROGRAM_MANAGER')
  @ApiOperationDoc({
    summary: 'Screening list versions, newest first, with the progress of their re-screening',
    ok: ScreeningListsDto,
    errors: [403],
  })
  async lists(): Promise<ScreeningListsDto> {
    return { items: await this.records.listVersions() };
  }
}
