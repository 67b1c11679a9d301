import type { Agency, Role } from '../identity/roles';
import { TASK_TYPES, TaskType } from './task-types';

/**
 * The roles that may hold a task of this type: its own (docs/spec.md section 3) and the agency's
 * SUPERVISOR, who can act on any task of the agency (section 1). Claiming, completing and being
 * handed a task by reassignment (section 7) all follow this one rule.
 */
export function holderRoles(type: TaskType): Role[] {
  return [...TASK_TYPES[type].roles, 'SUPERVISOR'];
}

/** Whether the user may act on the task or be handed it: a user of the task's agency in one of its holder roles. */
export function mayHoldTask(user: { roles: readonly Role[]; agency: Agency | null }, task: { agency: Agency; type: TaskType }): boolean {
  const roles = holderRoles(task.type);
  return user.agency === task.agency && user.roles.some((role) => roles.includes(role));
}
