import { Controller, Delete, Get, Header, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Principal, Public, RequestId, Roles } from '../../../../libs/auth';
import { PROPOSAL_READER_ROLES } from '../../../../libs/domain/identity/roles';
import { ApiOperationDoc } from '../common/openapi';
import { CALENDAR_FEED_ROUTE, CalendarFeedService } from './calendar-feed.service';
import { CalendarFeedCreatedDto, CalendarFeedStatusDto } from './program-responses.dto';

/**
 * The caller's secret calendar feed URL, and the feed itself for calendar clients (which send no
 * bearer token: the secret in the path is the credential). Feeds show every plan's milestones, so
 * they are for the roles that may read plans (ProgramsController's reads). Listed before
 * ProgramsController in API_CONTROLLERS (route order).
 */
@ApiTags('programs')
@Controller()
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @ApiOperationDoc({
    summary: 'Create a secret calendar feed URL of every plan’s milestones, replacing the previous one',
    ok: CalendarFeedCreatedDto,
    status: 201,
    errors: [403, 422],
  })
  @Post('programs/calendar-feed')
  @Roles(...PROPOSAL_READER_ROLES)
  @HttpCode(201)
  create(@CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.feeds.create(user, requestId);
  }

  @ApiOperationDoc({
    summary: 'Whether the caller has an active calendar feed URL (never the URL)',
    ok: CalendarFeedStatusDto,
    errors: [403],
  })
  @Get('programs/calendar-feed')
  @Roles(...PROPOSAL_READER_ROLES)
  status(@CurrentUser() user: Principal) {
    return this.feeds.status(user);
  }

  @ApiOperationDoc({ summary: "Revoke the caller's calendar feed URL (none active: nothing to do)", status: 204, errors: [403] })
  @Delete('programs/calendar-feed')
  @Roles(...PROPOSAL_READER_ROLES)
  @HttpCode(204)
  revoke(@CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.feeds.revoke(user, requestId);
  }

  @ApiOperationDoc({
    summary: 'A calendar feed: every plan’s milestones as iCalendar, for the holder of the secret URL',
    okSchema: { type: 'string' },
    produces: ['text/calendar'],
    errors: [404],
    public: true,
  })
  @Get(CALENDAR_FEED_ROUTE)
  @Public()
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  // The answer is the owner's view: no shared cache may keep it.
  @Header('Cache-Control', 'private, no-store')
  feed(@Param('secret') secret: string, @Req() request: Request) {
    return this.feeds.feed(secret, request.ip ?? 'unknown');
  }
}
