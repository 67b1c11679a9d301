import { completeProposal } from './fixtures';
import type { Stack } from './stack';

/** What the integration and fault specs of designation and its benefits share: driving a proposal through the API to DESIGNATE. */

/** Who takes each agency's AGENCY_REVIEW task. */
export const REVIEWERS: Record<string, string> = {
  COMMERCE: 'commerce.reviewer',
  STATE: 'state.reviewer',
  OSTP: 'ostp.reviewer',
  DOD: 'dod.reviewer',
  DOE: 'doe.reviewer',
};

/** AE is in EAR Country Group D:4: with the fixture's ECCN 4A090 the package carries LICENSE_REVIEW_ADVANCED_COMPUTING (BIS review on designation). */
export const licenseFlaggedProposal = () => completeProposal({ title: 'Sovereign AI cloud for the Emirates', targetMarkets: ['AE'] });

/** The caller's OPEN tasks of this type on the proposal, once there is one. */
export function openTasks(stack: Stack, user: string, proposalId: string, type: string): Promise<any[]> {
  return stack.eventually(`an open ${type} task for ${user}`, async () => {
    const res = await stack.as(user, 'GET', `/api/v1/tasks?proposalId=${proposalId}&type=${type}&pageSize=50`);
    const open = (res.body.items ?? []).filter((t: { status: string }) => t.status === 'OPEN');
    return open.length > 0 && open;
  });
}

export async function completeTask(stack: Stack, user: string, taskId: string, body: object) {
  return stack.as(user, 'POST', `/api/v1/tasks/${taskId}/complete`, body);
}

export const proposalAs = async (stack: Stack, user: string, id: string) => (await stack.as(user, 'GET', `/api/v1/proposals/${id}`)).body;

/** Every review concurs and Commerce designates; resolves once the proposal is FINANCING. */
export async function designate(stack: Stack, id: string): Promise<void> {
  const reviews = await stack.eventually('five reviews', async () => {
    const items = (await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&pageSize=50`)).body.items;
    return items?.length === 5 && items;
  });
  for (const t of reviews) {
    const done = await completeTask(stack, REVIEWERS[t.agency], t.id, { decision: 'CONCUR' });
    if (done.status !== 200) throw new Error(`review ${t.agency}: ${done.status} ${JSON.stringify(done.body)}`);
  }
  const [decision] = await openTasks(stack, 'commerce.decider', id, 'DESIGNATION_DECISION');
  const designated = await completeTask(stack, 'commerce.decider', decision.id, { decision: 'DESIGNATE' });
  if (designated.status !== 200) throw new Error(`designate: ${designated.status} ${JSON.stringify(designated.body)}`);
  await stack.eventually('FINANCING', async () => (await proposalAs(stack, 'auditor', id)).status === 'FINANCING');
}

/** EDAG closes the financing assignment without routing any instrument. */
export async function closeFinancing(stack: Stack, id: string): Promise<void> {
  const [assignment] = await openTasks(stack, 'edag.coordinator', id, 'FINANCING_ASSIGNMENT');
  const closed = await completeTask(stack, 'edag.coordinator', assignment.id, { decision: 'ASSIGN', data: { assignments: [] } });
  if (closed.status !== 200) throw new Error(`close financing: ${closed.status} ${JSON.stringify(closed.body)}`);
}
