import { ApiProperty } from '@nestjs/swagger';
import { APPLICATION_SECTORS, STACK_LAYERS } from '../../../../libs/domain/intake/submission';

/** The response schemas of `GET /catalogue` (docs/spec.md section 7), for the OpenAPI document. */

export class CatalogueMemberDto {
  @ApiProperty() name: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2' }) country: string;
}

export class CatalogueEntryDto {
  @ApiProperty({ format: 'uuid' }) proposalId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) summary: string | null;
  @ApiProperty({ enum: STACK_LAYERS, isArray: true, description: "The stack layers the consortium's members provide" }) layers: string[];
  @ApiProperty({ enum: APPLICATION_SECTORS, isArray: true }) sectors: string[];
  @ApiProperty({ type: [String], description: 'ISO 3166-1 alpha-2' }) targetMarkets: string[];
  @ApiProperty({ type: [CatalogueMemberDto] }) members: CatalogueMemberDto[];
  @ApiProperty({ type: String, format: 'date-time' }) designatedAt: Date;
}

export class CataloguePageDto {
  @ApiProperty({ type: [CatalogueEntryDto] }) items: CatalogueEntryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
