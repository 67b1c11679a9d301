import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { PublicWhen } from '../../../../libs/auth';
import { CataloguePageDto } from './catalogue.dto';
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
  @ApiOkResponse({ type: CataloguePageDto, description: 'One page of designated packages, most recently designated first' })
  @ApiBadRequestResponse({ description: 'A bad target market, sector, layer or page (field-level details)' })
  @ApiUnauthorizedResponse({ description: 'No valid bearer token while the catalogue is not public' })
  list(@Query() query: CatalogueQuery): Promise<CataloguePageDto> {
    return this.catalogue.list(query);
  }
}
