import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
  UnprocessableEntityException,
} from '@nestjs/common';
import { refuseMissingDocuments } from '../documents/cited-documents';
import { Client } from '@temporalio/client';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { randomUUID } from 'node:crypto';
import defaultPlan from '../../../../data/program-plan-default.json';
import { AuditService } from '../../../../libs/audit';
import { Principal } from '../../../../libs/auth';
import { AppConfig, APP_CONFIG } from '../../../../libs/config';
import {
  completeMilestoneUpdate,
  MilestoneEvidence,
  PROGRAM_FAILURES,
  programWorkflowId,
  rebaselineMilestoneUpdate,
} from '../../../../libs/contracts/program';
import { startProgramWorkflow } from '../../../../libs/temporal';
import { CallRow, DocumentRepository, MilestoneRow, ProgramRepository, ProgramRow, UnitOfWork } from '../../../../libs/db';
import {
  CALL_WINDOW_DAYS,
  daysUntil,
  dependencyCycle,
  milestoneStatus,
  planDate,
  planStatus,
  planToday,
  withinCallWindow,
} from '../../../../libs/domain/program/plan';
import { runUpdate } from '../common/workflow-update';
import type { CreateCallDto, CreateProgramDto, MilestoneDto } from './programs.dto';

// Plan days are federal days: today is the date in New York (libs/domain/program/plan.ts).
const today = () => planToday(new Date());
const actorOf = (user: Principal) => ({ username: user.username, roles: user.roles, agency: user.agency });

/** One stored and shown shape for milestone evidence, whichever form it was sent or recorded in. */
function storedEvidence(evidence: MilestoneEvidence): Required<MilestoneEvidence> {
  return { text: evidence.text, link: evidence.link ?? null, documentIds: evidence.documentIds ?? [] };
}

/** Program establishment plans (EO 14320 sec. 3(a)): status is computed from the milestones for today. */
@Injectable()
export class ProgramsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProgramsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly programs: ProgramRepository,
    private readonly temporal: Client,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
    private readonly documents: DocumentRepository,
  ) {}

  /**
   * The order's own plan exists from the first start, and every plan has its workflow (one whose
   * start was lost is started now; a finished one is not restarted). Safe when several API
   * processes start together: creation is idempotent by name.
   */
  async onApplicationBootstrap(): Promise<void> {
    const existing = await this.programs.list();
    if (!existing.length) {
      const system: Principal = {
        userId: 'system',
        username: 'system',
        roles: ['PROGRAM_MANAGER'],
        agency: 'COMMERCE',
        organisation: null,
      };
      try {
        await this.create(
          {
            name: defaultPlan.name,
            startDate: defaultPlan.startDate,
            deadlineDays: defaultPlan.deadlineDays,
            milestones: defaultPlan.milestones as MilestoneDto[],
          },
          system,
        );
        this.logger.log('Created the default EO 14320 establishment plan');
      } catch (error) {
        if (!(error instanceof ConflictException)) throw error; // another API process created it first
      }
    }
    for (const program of existing) await this.startWorkflow(program.id);
  }

  private startWorkflow(programId: string) {
    return startProgramWorkflow(this.temporal, { programId, reminderDaysBefore: this.config.milestoneReminderDays });
  }

  async list() {
    const programs = await this.programs.list();
    return Promise.all(programs.map(async (p) => this.view(p, await this.programs.milestones(p.id), await this.programs.calls(p.id))));
  }

  async get(id: string) {
    const program = await this.programs.findById(id);
    if (!program) throw new NotFoundException(`Program ${id} not found`);
    return this.view(program, await this.programs.milestones(id), await this.programs.calls(id));
  }

  async create(dto: CreateProgramDto, user: Principal, requestId?: string) {
    const milestones = (dto.milestones ?? (defaultPlan.milestones as MilestoneDto[])).map((m, position) => ({
      id: randomUUID(),
      key: m.key ?? `m${position + 1}`,
      position,
      title: m.title,
      ownerAgency: m.ownerAgency,
      dueDay: m.dueDay,
      eoRef: m.eoRef ?? null,
      dependsOn: m.dependsOn ?? [],
    }));
    const keys = new Set(milestones.map((m) => m.key));
    const problems = milestones.flatMap((m, i) => [
      ...m.dependsOn
        .filter((k) => !keys.has(k) || k === m.key)
        .map((k) => ({ field: `milestones[${i}].dependsOn`, message: `${k} is not another milestone's key` })),
    ]);
    if (keys.size !== milestones.length) problems.push({ field: 'milestones', message: 'milestone keys must be unique' });
    const cycle = dependencyCycle(milestones);
    if (cycle.length) problems.push({ field: 'milestones', message: `dependencies form a cycle: ${[...cycle, cycle[0]].join(' -> ')}` });
    if (problems.length) throw new UnprocessableEntityException({ message: 'The plan is not consistent', details: problems });
    const program = {
      id: randomUUID(),
      name: dto.name,
      startDate: dto.startDate,
      deadlineDays: dto.deadlineDays ?? 90,
      createdBy: user.username,
    };
    const created = await this.uow.run(async (tx) => {
      if (!(await this.programs.create(tx, program, milestones))) return false;
      await this.audit.record(
        {
          actor: user.username,
          role: user.roles.join(','),
          agency: user.agency,
          action: 'PROGRAM_CREATED',
          subjectType: 'program',
          subjectId: program.id,
          after: { ...program, milestones: milestones.length },
          requestId,
        },
        tx,
      );
      return true;
    });
    if (!created) throw new ConflictException(`A program named "${dto.name}" exists`);
    await this.startWorkflow(program.id);
    return this.get(program.id);
  }

  async complete(id: string, milestoneId: string, evidence: MilestoneEvidence, user: Principal) {
    await this.get(id);
    // Milestones belong to no proposal: any uploaded document may be cited, but it must exist.
    const cited = evidence.documentIds ?? [];
    if (cited.length)
      refuseMissingDocuments('evidence.documentIds', cited, await this.documents.findMissing(cited), 'an uploaded document');
    await this.update(() =>
      this.temporal.workflow.getHandle(programWorkflowId(id)).executeUpdate(completeMilestoneUpdate, {
        args: [{ milestoneId, evidence: storedEvidence(evidence), actor: actorOf(user) }],
      }),
    );
    return this.get(id);
  }

  async rebaseline(id: string, milestoneId: string, dueDay: number, reason: string, user: Principal) {
    await this.get(id);
    await this.update(() =>
      this.temporal.workflow.getHandle(programWorkflowId(id)).executeUpdate(rebaselineMilestoneUpdate, {
        args: [{ milestoneId, dueDay, reason, actor: actorOf(user) }],
      }),
    );
    return this.get(id);
  }

  /** A call for proposals of this plan; one marked as governing intake limits submissions to its window. */
  async addCall(id: string, dto: CreateCallDto, user: Principal, requestId?: string) {
    await this.get(id);
    const call = {
      id: randomUUID(),
      programId: id,
      title: dto.title,
      openDate: dto.openDate,
      closeDate: dto.closeDate ?? planDate(dto.openDate, CALL_WINDOW_DAYS),
      governsIntake: dto.governsIntake ?? false,
      createdBy: user.username,
    };
    if (daysUntil(call.closeDate, call.openDate) < 0)
      throw new UnprocessableEntityException({
        message: 'closeDate is before openDate',
        details: [{ field: 'closeDate', message: 'closeDate must not be before openDate' }],
      });
    await this.uow.run(async (tx) => {
      await this.programs.addCall(tx, call);
      await this.audit.record(
        {
          actor: user.username,
          role: user.roles.join(','),
          agency: user.agency,
          action: 'CALL_ADDED',
          subjectType: 'program',
          subjectId: id,
          after: call,
          requestId,
        },
        tx,
      );
    });
    return this.get(id);
  }

  /**
   * The governing call a submission today answers; with none governing, intake is open (null).
   * Outside the governing call's window a submission is refused with 422 (EO 14320 sec. 3(c)).
   */
  async callForSubmission(): Promise<string | null> {
    const call = await this.programs.governingCall();
    if (!call) return null;
    if (!withinCallWindow(call, today())) {
      throw new UnprocessableEntityException({
        message: `Submissions are accepted only during the call "${call.title}", open ${call.openDate} to ${call.closeDate}`,
        details: [{ field: '', message: `outside the call window ${call.openDate} to ${call.closeDate}` }],
      });
    }
    return call.id;
  }

  /** The plan's milestones' due dates as an iCalendar file. */
  async calendar(id: string): Promise<string> {
    const program = await this.get(id);
    return milestoneCalendar(program.name, [program]);
  }

  /** Every plan's milestones in one iCalendar file: what a calendar feed subscriber sees. */
  async calendarOfAll(): Promise<string> {
    return milestoneCalendar('Exports Desk program milestones', await this.list());
  }

  private view(program: ProgramRow, milestones: MilestoneRow[], calls: CallRow[]) {
    const now = today();
    const deadline = planDate(program.startDate, program.deadlineDays);
    const items = milestones.map((m) => {
      const dueDate = planDate(program.startDate, m.dueDay);
      return {
        id: m.id,
        key: m.key,
        title: m.title,
        ownerAgency: m.ownerAgency,
        dueDay: m.dueDay,
        dueDate,
        eoRef: m.eoRef,
        dependsOn: m.dependsOn,
        status: milestoneStatus({ dueDate, completedAt: m.completedAt?.toISOString() ?? null }, now),
        daysRemaining: daysUntil(dueDate, now),
        remindedAt: m.remindedAt,
        completedAt: m.completedAt,
        completedBy: m.completedBy,
        evidence: m.evidence && storedEvidence(m.evidence),
      };
    });
    return {
      id: program.id,
      name: program.name,
      startDate: program.startDate,
      deadlineDays: program.deadlineDays,
      deadline,
      daysRemaining: daysUntil(deadline, now),
      status: planStatus(
        items.map((m) => ({ dueDate: m.dueDate, completedAt: m.completedAt?.toISOString() ?? null })),
        deadline,
        now,
      ),
      milestones: items,
      calls,
    };
  }

  private update(run: () => Promise<unknown>): Promise<unknown> {
    return runUpdate(run, {
      conflict: [PROGRAM_FAILURES.wrongState],
      unprocessable: [PROGRAM_FAILURES.dependencies],
      closedMessage: 'Every milestone of this plan is done',
    });
  }
}

type PlanView = Awaited<ReturnType<ProgramsService['get']>>;

/** The plans' milestone due dates as all-day events, one calendar for one plan or for all of them. */
function milestoneCalendar(name: string, plans: PlanView[]): string {
  const calendar = ical({
    name,
    method: ICalCalendarMethod.PUBLISH,
    prodId: { company: 'Exports Desk', product: 'program-plan' },
  });
  for (const program of plans) {
    for (const m of program.milestones) {
      calendar.createEvent({
        id: `${m.id}@exports-desk`,
        start: new Date(`${m.dueDate}T00:00:00Z`),
        allDay: true,
        summary: `${m.title} (${m.ownerAgency})`,
        description: `EO 14320 sec. ${m.eoRef ?? '—'} · status ${m.status} · ${program.name}`,
      });
    }
  }
  return calendar.toString();
}
