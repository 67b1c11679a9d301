import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../../../libs/auth';
import { ReferenceService } from './reference.service';
import { ApiOperationDoc } from '../common/openapi';

const RULES_DESCRIPTION =
  'Proposal and task statuses, task types with decisions and their requirements, roles and agencies, the financing catalogue, stack layers and sectors, route access policies, data editions';
const RULES_SCHEMA = { type: 'object', additionalProperties: true } as const;

/**
 * The rules the web UI shows (statuses, task decisions and what they need, the financing catalogue,
 * who may see what), from the server's own constants, so no client keeps a copy.
 */
@ApiTags('reference')
@Controller('reference')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  /** docs/spec.md section 7: `GET /reference`, the rules the UI takes. */
  @Get()
  @Authenticated()
  @ApiOperationDoc({ summary: 'The rules the web UI shows', okDescription: RULES_DESCRIPTION, okSchema: RULES_SCHEMA })
  document() {
    return this.reference.rules();
  }

  /** The same document at the path the web UI has always read. */
  @Get('rules')
  @Authenticated()
  @ApiOperationDoc({ summary: 'The rules document at the path the web UI reads', okDescription: RULES_DESCRIPTION, okSchema: RULES_SCHEMA })
  rules() {
    return this.reference.rules();
  }
}
