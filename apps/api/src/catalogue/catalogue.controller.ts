import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublicWhen } from '../../../../libs/auth';
import { CatalogueQuery } from './catalogue.query';
import { CatalogueService } from './catalogue.service';

@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('catalogue')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @PublicWhen('catalogue')
  @ApiOperation({
    summary: 'The catalogue of priority AI export packages',
    description: 'Designated packages only, as published by their consortia; any signed-in user, and anyone when CATALOGUE_PUBLIC=true.',
  })
  @ApiOkResponse({
    description: '{items: [{proposalId, title, summary, layers, sectors, targetMarkets, members, designatedAt}], total, page, pageSize}',
  })
  list(@Query() query: CatalogueQuery) {
    return this.catalogue.list(query);
  }
}
