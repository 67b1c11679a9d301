import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../../../libs/auth';
import { ReferenceService } from './reference.service';

const RULES_DESCRIPTION =
  'Proposal and task statuses, task types with decisions and their requirements, roles and agencies, the financing catalogue, stack layers and sectors, route access policies, data editions';

/**
 * The rules the web UI shows (statuses, task decisions and what they need, the financing catalogue,
 * who may see what), from the server's own constants, so no client keeps a copy.
 */
@ApiTags('reference')
@ApiBearerAuth()
@Controller('reference')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  /** docs/spec.md section 7: `GET /reference`, the rules the UI takes. */
  @Get()
  @Authenticated()
  @ApiOkResponse({ description: RULES_DESCRIPTION })
  document() {
    return this.reference.rules();
  }

  /** The same document at the path the web UI has always read. */
  @Get('rules')
  @Authenticated()
  @ApiOkResponse({ description: RULES_DESCRIPTION })
  rules() {
    return this.reference.rules();
  }
}
