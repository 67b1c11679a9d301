import { Injectable, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ACCESS_POLICY, AccessPolicy } from '../../../../libs/auth';
import { AGENCIES, PROPOSAL_READER_ROLES, ROLE_AGENCIES, ROLES } from '../../../../libs/domain/identity/roles';
import { isFinal, PROPOSAL_STATUSES } from '../../../../libs/domain/intake/proposal-status';
import { APPLICATION_SECTORS, STACK_LAYERS } from '../../../../libs/domain/intake/submission';
import {
  CompletionContext,
  TASK_STATUSES,
  TASK_TYPE_NAMES,
  TASK_TYPES,
  TaskType,
  validateCompletion,
  ASKING_TASK_TYPES,
} from '../../../../libs/domain/tasks/task-types';
import { dataFile, FINANCING_INSTRUMENTS } from '../../../../libs/reference-data';
import { TasksController } from '../tasks/tasks.controller';

/** When a completion field is required: always, only when some agency non-concurred (docs/spec.md section 2.3), or never. */
export type Requirement = 'ALWAYS' | 'WHEN_NON_CONCURRENCE' | 'NEVER';

export interface DecisionRule {
  code: string;
  comment: Requirement;
  conditions: Requirement;
  /** `data` fields the decision needs (e.g. `assignments`, `amountUsd`), with when. */
  data: Record<string, Requirement>;
  /** The decision waits for an information request to the applicant to be answered on the task (an advocacy ACCEPT, docs/spec.md section 2.3a). */
  answeredInformationRequest: boolean;
}

/**
 * The facts a completion is judged on, each with the requirement it stands for: the empty context
 * (what every case needs) and each case fact of `CompletionContext` that adds requirements.
 */
const CONTEXTS: readonly { when: Exclude<Requirement, 'NEVER'>; context: CompletionContext }[] = [
  { when: 'ALWAYS', context: {} },
  { when: 'WHEN_NON_CONCURRENCE', context: { anyNonConcurrence: true } },
];

/**
 * What a decision needs, read from the domain's own validator (`validateCompletion`): a completion
 * carrying the decision and nothing else is refused for exactly the fields the decision requires.
 */
export function decisionRule(type: TaskType, code: string): DecisionRule {
  const refusesDecision = (context: CompletionContext) =>
    validateCompletion(type, { decision: code }, context).some((p) => p.field === 'decision');
  const rule: DecisionRule = {
    code,
    comment: 'NEVER',
    conditions: 'NEVER',
    data: {},
    answeredInformationRequest: refusesDecision({}) && !refusesDecision({ answeredInformationRequests: 1 }),
  };
  for (const { when, context } of CONTEXTS) {
    for (const { field } of validateCompletion(type, { decision: code }, context)) {
      // Only the field's top-level name: data.assignments, not data.assignments[0].agency.
      const [head, sub] = field.replace(/\[.*$/, '').split('.');
      if (head === 'comment' || head === 'conditions') {
        if (rule[head] === 'NEVER') rule[head] = when;
      } else if (head === 'data' && sub) {
        rule.data[sub] ??= when;
      }
    }
  }
  return rule;
}

const joinPath = (...parts: string[]) =>
  `/${parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
const pathsOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value ?? '')]);

/** Every route of a controller, "METHOD /path" relative to the API base, with its access policy. */
function routePolicies(controller: Type): [string, AccessPolicy | undefined][] {
  const classPolicy = Reflect.getMetadata(ACCESS_POLICY, controller) as AccessPolicy | undefined;
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .filter((key) => key !== 'constructor' && typeof proto[key] === 'function' && Reflect.hasMetadata(PATH_METADATA, proto[key] as object))
    .flatMap((key) => {
      const handler = proto[key] as object;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const policy = (Reflect.getMetadata(ACCESS_POLICY, handler) as AccessPolicy | undefined) ?? classPolicy;
      return pathsOf(Reflect.getMetadata(PATH_METADATA, controller)).flatMap((base) =>
        pathsOf(Reflect.getMetadata(PATH_METADATA, handler)).map((sub): [string, AccessPolicy | undefined] => [
          `${method} ${joinPath(base, sub)}`,
          policy,
        ]),
      );
    });
}

const rolesOf = (policy: AccessPolicy | undefined): readonly string[] => (policy?.kind === 'roles' ? policy.roles : []);

/**
 * The rules the web UI shows, derived from the server's own constants at start-up (never a copy):
 * lifecycle states, task types with their decisions and what each needs, roles and agencies, the
 * financing catalogue and the submission vocabularies, and who may call which route.
 */
@Injectable()
export class ReferenceService {
  private cached?: ReturnType<ReferenceService['build']>;

  constructor(private readonly modules: ModulesContainer) {}

  rules() {
    this.cached ??= this.build();
    return this.cached;
  }

  private build() {
    const taskTypes = Object.fromEntries(
      TASK_TYPE_NAMES.map((type) => {
        const { agencies, roles, decisions } = TASK_TYPES[type];
        return [
          type,
          {
            agencies,
            roles,
            decisions: (decisions as readonly string[]).map((code) => decisionRule(type, code)),
            asksApplicant: ASKING_TASK_TYPES.includes(type),
          },
        ];
      }),
    );
    return {
      proposalStatuses: PROPOSAL_STATUSES,
      finalProposalStatuses: PROPOSAL_STATUSES.filter(isFinal),
      taskStatuses: TASK_STATUSES,
      taskTypes,
      roles: ROLES,
      agencies: AGENCIES,
      roleAgencies: ROLE_AGENCIES,
      proposalReaderRoles: PROPOSAL_READER_ROLES,
      /** Agency staff: the roles that may complete tasks (the policy of POST /tasks/:id/complete). */
      agencyStaffRoles: rolesOf(Reflect.getMetadata(ACCESS_POLICY, TasksController.prototype.complete) as AccessPolicy | undefined),
      /** The agencies a FINANCING_ASSIGNMENT may route an instrument to (those of FINANCING_REVIEW). */
      financingAgencies: TASK_TYPES.FINANCING_REVIEW.agencies,
      financingInstruments: FINANCING_INSTRUMENTS,
      stackLayers: STACK_LAYERS,
      applicationSectors: APPLICATION_SECTORS,
      /** Who may call each signed-in route ("METHOD /path" relative to /api/v1), from the routes' own policies. */
      access: this.access(),
      dataEditions: { financingInstruments: catalogueEdition() },
    };
  }

  private access(): Record<string, AccessPolicy> {
    const controllers = [...this.modules.values()].flatMap((module) =>
      [...module.controllers.values()].map((wrapper) => wrapper.metatype as Type),
    );
    const routes = [...new Set(controllers)]
      .flatMap(routePolicies)
      .filter((entry): entry is [string, AccessPolicy] => !!entry[1] && entry[1].kind !== 'public')
      .sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(routes);
  }
}

/** The catalogue's edition: its version if the data file carries one, and a digest of what the server loaded. */
function catalogueEdition() {
  const file = 'data/financing-instruments.json';
  let version: string | null = null;
  try {
    const raw = JSON.parse(readFileSync(dataFile('financing-instruments.json'), 'utf8')) as { version?: unknown };
    if (typeof raw.version === 'string') version = raw.version;
  } catch {
    // the compiled-in catalogue is what counts; the file only names its version
  }
  const sha256 = createHash('sha256').update(JSON.stringify(FINANCING_INSTRUMENTS)).digest('hex');
  return { file, version, sha256, entries: FINANCING_INSTRUMENTS.length };
}
