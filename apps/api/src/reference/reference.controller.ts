import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../../../libs/auth';
import { ReferenceService } from './reference.service';

/**
 * The rules the web UI shows (statuses, task decisions and what they need, the financing catalogue,
 * who may see what), from the server's own constants, so no client keeps a copy.
 */
@ApiTags('reference')
@ApiBearerAuth()
@Controller('reference')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('rules')
  @Authenticated()
  @ApiOkResponse({
    description:
      'Proposal and task statuses, task types with decisions and their requirements, roles and agencies, the financing catalogue, stack layers and sectors, route access policies, data editions',
  })
  rules() {
    return this.reference.rules();
  }
}
