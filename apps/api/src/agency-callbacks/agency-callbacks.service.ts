import { ForbiddenException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { verifySignature } from '../../../../libs/adapters';
import { AuditService } from '../../../../libs/audit';
import { AppConfig, APP_CONFIG } from '../../../../libs/config';
import { TaskRepository } from '../../../../libs/db';
import type { Agency } from '../../../../libs/domain/identity/roles';
import { TASK_TYPES } from '../../../../libs/domain/tasks/task-types';
import { TasksService } from '../tasks/tasks.service';
import type { AgencyDecisionDto } from './agency-callbacks.controller';

/**
 * Verifies an agency system's signed decision (HMAC-SHA256 over timestamp and raw body under the
 * agency's secret, or its previous one during a rotation; fresh and never seen before) and completes the task through the same workflow Update as the inbox does.
 */
@Injectable()
export class AgencyCallbacksService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tasks: TaskRepository,
    private readonly inbox: TasksService,
    private readonly audit: AuditService,
  ) {}

  async receive(
    agency: Agency,
    body: AgencyDecisionDto,
    signed: { rawBody: string; signature?: string; timestamp?: string },
    requestId?: string,
  ) {
    const hook = this.config.agencyWebhooks[agency];
    if (!hook) throw new NotFoundException(`${agency} takes its tasks in the built-in inbox, not by webhook`);
    const verdict = verifySignature(hook.secrets, signed.rawBody, signed.signature, signed.timestamp);
    if (!verdict.valid) return this.refuse(agency, body, verdict.reason, requestId);
    if (!(await this.tasks.rememberCallback(verdict.signatures, agency, body.taskId)))
      return this.refuse(agency, body, 'Replayed callback', requestId);
    const task = await this.tasks.findById(body.taskId);
    if (!task) throw new NotFoundException(`Task ${body.taskId} not found`);
    if (task.agency !== agency) throw new ForbiddenException(`Task ${body.taskId} belongs to ${task.agency}`);
    const official = {
      userId: `${agency}:${body.decidedBy}`,
      username: `${agency.toLowerCase()}:${body.decidedBy}`,
      roles: [...TASK_TYPES[task.type].roles],
      agency,
      organisation: null,
    };
    const { decidedBy: _decidedBy, taskId: _taskId, ...completion } = body;
    return this.inbox.complete(task.id, completion, official, requestId);
  }

  private async refuse(agency: Agency, body: AgencyDecisionDto, reason: string, requestId?: string): Promise<never> {
    await this.audit.record({
      actor: `${agency.toLowerCase()}:webhook`,
      agency,
      action: 'ACCESS_DENIED',
      subjectType: 'task',
      subjectId: body.taskId,
      reason,
      requestId,
    });
    throw new UnauthorizedException(`Callback refused: ${reason}`);
  }
}
