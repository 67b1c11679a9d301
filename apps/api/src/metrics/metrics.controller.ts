import { Controller, Get, Header, Headers, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../../../libs/auth';
import { ApiOperationDoc } from '../common/openapi';
import { MetricsService } from './metrics.service';

/**
 * `GET /metrics` (docs/spec.md section 7), outside the API prefix like /health and never throttled.
 * Public to the auth guard: a scraper holds no user session; METRICS_TOKEN, when set, is checked here.
 */
@ApiTags('health')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @Public()
  @ApiOperationDoc({
    summary: 'Prometheus metrics: request durations, open tasks, SLA breaches, audit sealer lag',
    description: 'Public unless METRICS_TOKEN is set; then send `Authorization: Bearer <METRICS_TOKEN>`.',
    produces: ['text/plain'],
    errors: [401],
    public: true,
  })
  // A scrape is a reading of now: no cache may keep it.
  @Header('Cache-Control', 'no-store')
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) res: Response): Promise<string> {
    this.metrics.authorize(authorization);
    res.type(this.metrics.contentType);
    return this.metrics.scrape();
  }
}
