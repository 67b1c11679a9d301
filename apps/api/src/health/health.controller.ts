import { Controller, Get, HttpStatus, Logger, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { Public, Roles } from '../../../../libs/auth';
import { DatabaseHealth } from '../../../../libs/db';
import { ApiOperationDoc } from '../common/openapi';
import { HealthDetailsDto, HealthDto } from '../common/oversight-responses.dto';

/** Each dependency must answer within this long (as terminus' TypeORM ping), else it counts as down. */
export const PROBE_DEADLINE_MS = 3000;

type Dependency = 'postgres' | 'temporal';
type Probe = { status: 'up' } | { status: 'down'; message: string };

interface HealthReport {
  status: 'ok' | 'error';
  details: Record<Dependency, Probe>;
}

/** Rejects once `ms` pass, so a hung dependency cannot hold the probe open. */
function within<T>(ms: number, what: string, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([run(), deadline]).finally(() => clearTimeout(timer));
}

/**
 * `GET /health` (public, outside the API prefix; docs/spec.md section 7): 200 `{status: 'ok'}` only
 * when PostgreSQL and Temporal both answer, else 503 `{status: 'error'}`; nothing more, so the public
 * learns no internals. `GET /api/v1/health/details` (ADMIN) adds each dependency's status and error text.
 */
@ApiTags('health')
@Controller()
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly db: DatabaseHealth,
    private readonly temporal: Client,
  ) {}

  @Get('health')
  @Public()
  @ApiOperationDoc({ summary: 'Up (200) or down (503), without details', ok: HealthDto, public: true })
  async check(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ok' | 'error' }> {
    const report = await this.report();
    res.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: report.status };
  }

  @Get('health/details')
  @Roles('ADMIN')
  @ApiOperationDoc({ summary: "Each dependency's status and error text (ADMIN)", ok: HealthDetailsDto, errors: [403] })
  async details(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.report();
    res.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  private async report(): Promise<HealthReport> {
    const [postgres, temporal] = await Promise.all([
      this.probe('postgres', () => this.db.ping()),
      this.probe('temporal', () =>
        this.temporal.connection.withDeadline(Date.now() + PROBE_DEADLINE_MS, () =>
          this.temporal.connection.workflowService.getSystemInfo({}),
        ),
      ),
    ]);
    const details = { postgres, temporal };
    return { status: postgres.status === 'up' && temporal.status === 'up' ? 'ok' : 'error', details };
  }

  private async probe(name: Dependency, run: () => Promise<unknown>): Promise<Probe> {
    try {
      await within(PROBE_DEADLINE_MS, name, run);
      return { status: 'up' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`Health probe ${name} failed: ${message}`);
      return { status: 'down', message };
    }
  }
}
