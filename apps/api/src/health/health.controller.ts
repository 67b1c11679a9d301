import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Client } from '@temporalio/client';
import { Public } from '../../../../libs/auth';
import { DatabaseHealth } from '../../../../libs/db';

/** 200 only when PostgreSQL and Temporal both answer (docs/spec.md section 7). */
@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: DatabaseHealth,
    private readonly indicators: HealthIndicatorService,
    private readonly temporal: Client,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.postgresCheck(), () => this.temporalCheck()]);
  }

  /** As terminus' TypeORM ping: `SELECT 1` within 3 s. */
  private postgresCheck() {
    return this.indicators
      .check('postgres')
      .attempt(() => this.db.ping())
      .withTimeout(3000);
  }

  private async temporalCheck() {
    const indicator = this.indicators.check('temporal');
    try {
      await this.temporal.connection.workflowService.getSystemInfo({});
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
