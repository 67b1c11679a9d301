import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO31661Alpha2, IsOptional } from 'class-validator';
import { APPLICATION_SECTORS, ApplicationSector, STACK_LAYERS, StackLayer } from '../../../../libs/domain/intake/submission';
import { PageParam, PageSizeParam } from '../common/dto-decorators';

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value);

/** docs/spec.md section 7 `GET /catalogue`: bad codes are 400 with the field named. */
export class CatalogueQuery {
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2' }) @IsOptional() @Transform(upper) @IsISO31661Alpha2() targetMarket?: string;
  @ApiPropertyOptional({ enum: APPLICATION_SECTORS, description: 'A sector of the stack’s applications' })
  @IsOptional()
  @Transform(upper)
  @IsIn(APPLICATION_SECTORS)
  sector?: ApplicationSector;
  @ApiPropertyOptional({ enum: STACK_LAYERS, description: 'A layer some member provides' })
  @IsOptional()
  @Transform(upper)
  @IsIn(STACK_LAYERS)
  layer?: StackLayer;
  @PageParam() page: number = 1;
  @PageSizeParam(100) pageSize: number = 20;
}
