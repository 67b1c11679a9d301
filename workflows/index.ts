// Workflow entry point for the Worker bundle: deterministic code only (see eslint fence).
export { proposalWorkflow } from './intake/proposal.workflow';
export { humanTaskWorkflow } from './tasks/human-task.workflow';
export { programPlanWorkflow } from './program/program-plan.workflow';
export { rescreenListWorkflow } from './screening/rescreen.workflow';
export { rescreenWatchWorkflow } from './screening/rescreen-watch.workflow';
