import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PublicWhen } from '../../../../libs/auth';
import { CataloguePageDto } from './catalogue.dto';
import { CatalogueQuery } from './catalogue.query';
import { CatalogueService } from './catalogue.service';
import { ApiOperationDoc } from '../common/openapi';

@ApiTags('catalogue')
@Controller('catalogue')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @PublicWhen('catalogue')
  @ApiOperationDoc({
    summary: 'The catalogue of priority AI export packages',
    description: 'Designated packages only, as published by their consortia; any signed-in user, and anyone when CATALOGUE_PUBLIC=true.',
    ok: CataloguePageDto,
    okDescription: 'One page of designated packages, most recently designated first',
    errors: [400],
  })
  list(@Query() query: CatalogueQuery): Promise<CataloguePageDto> {
    return this.catalogue.list(query);
  }
}
