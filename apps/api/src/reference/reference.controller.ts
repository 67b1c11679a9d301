import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../../../libs/auth';
import { ReferenceService } from './reference.service';
import { ApiOperationDoc } from '../common/openapi';

/**
 * The rules the web UI shows (statuses, task decisions and what they need, the financing catalogue,
 * who may see what), from the server's own constants, so no client keeps a copy.
 */
@ApiTags('reference')
@Controller('reference')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('rules')
  @Authenticated()
  @ApiOperationDoc({
    summary: 'The rules the web UI shows',
    okDescription:
      'Proposal and task statuses, task types with decisions and their requirements, roles and agencies, the financing catalogue, stack layers and sectors, route access policies, data editions',
    okSchema: { type: 'object', additionalProperties: true },
  })
  rules() {
    return this.reference.rules();
  }
}
