import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { SEAL_LOOKBACK_MS } from '../../../../libs/audit';
import { AppConfig, APP_CONFIG } from '../../../../libs/config';
import { AuditRepository, ReportRepository } from '../../../../libs/db';
import { AGENCIES } from '../../../../libs/domain/identity/roles';

/** Requests no API route matched (the web UI's static files, unknown paths): one label, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The API's Prometheus metrics (docs/spec.md section 7): request durations by route pattern, and
 * operations gauges read from the database at scrape time, so every API replica reports the same
 * totals. The Temporal SDK's `temporal_*` series are served by each worker (WORKER_METRICS_ADDRESS).
 */
@Injectable()
export class MetricsService {
  private readonly registry = new Registry();
  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    registers: [this.registry],
  });
  private readonly tasksOpen = new Gauge({
    name: 'exports_desk_tasks_open',
    help: 'Open (OPEN or CLAIMED) tasks by agency and task type',
    labelNames: ['agency', 'type'],
    registers: [this.registry],
  });
  private readonly slaBreaches = new Gauge({
    name: 'exports_desk_sla_breaches',
    help: 'Tasks that breached their SLA (open overdue or escalated, completed late, lapsed) by agency, as in the pipeline report',
    labelNames: ['agency'],
    registers: [this.registry],
  });
  private readonly sealerLag = new Gauge({
    name: 'exports_desk_audit_sealer_lag_seconds',
    help: 'Age of the oldest audit event not yet sealed into the hash chain (0 when none waits)',
    registers: [this.registry],
  });
  private readonly unsealed = new Gauge({
    name: 'exports_desk_audit_events_unsealed',
    help: 'Audit events committed but not yet sealed (the sealer backlog)',
    registers: [this.registry],
  });
  private readonly token: Buffer | undefined;

  constructor(
    private readonly reports: ReportRepository,
    private readonly audit: AuditRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.token = config.metrics.token === undefined ? undefined : digest(config.metrics.token);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Express middleware: times every request; the route label is the matched pattern (`/api/v1/proposals/:id`), never the URL. */
  readonly recordRequests = (req: Request, res: Response, next: NextFunction): void => {
    const end = this.requestDuration.startTimer({ method: req.method });
    res.once('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      end({ route: typeof route === 'string' ? route : UNMATCHED_ROUTE, status_code: String(res.statusCode) });
    });
    next();
  };

  /** Open to all unless METRICS_TOKEN is set; then only `Authorization: Bearer <token>` (compared in constant time). */
  authorize(authorization: string | undefined): void {
    if (!this.token) return;
    const given = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
    if (given === undefined || !timingSafeEqual(digest(given), this.token))
      throw new UnauthorizedException('GET /metrics requires Authorization: Bearer <METRICS_TOKEN>');
  }

  async scrape(): Promise<string> {
    // Index ranges only (AuditRepository.sealerBacklog): a scrape must not walk the whole audit trail.
    const [tasks, chain] = await Promise.all([
      this.reports.taskGauges(),
      this.audit.sealerBacklog(new Date(Date.now() - SEAL_LOOKBACK_MS)),
    ]);
    // Reset first: a label set with no rows left (an agency's last task of a type closed) must not keep its old value.
    this.tasksOpen.reset();
    this.slaBreaches.reset();
    for (const agency of AGENCIES) this.slaBreaches.set({ agency }, 0);
    for (const { agency, type, open, slaBreaches } of tasks) {
      this.tasksOpen.set({ agency, type }, open);
      this.slaBreaches.inc({ agency }, slaBreaches);
    }
    this.sealerLag.set(chain.lagSeconds);
    this.unsealed.set(chain.pending);
    // No await between the sets and serialising: a concurrent scrape's reset cannot interleave.
    return this.registry.metrics();
  }
}
