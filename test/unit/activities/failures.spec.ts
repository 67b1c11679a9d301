import { ACTIVITY_FAILURES } from '../../../activities/failures';
import { PERMANENT_FAILURE_TYPES, QUICK_ACTIVITY, PROPOSAL_ACTIVITY, TASK_DELIVERY } from '../../../workflows/activity-options';

describe('activity retry presets', () => {
  it('never retry the permanent failure types the activities raise', () => {
    const permanent = [ACTIVITY_FAILURES.notFound, ACTIVITY_FAILURES.invalidInput, 'RowNotFoundError'];
    expect([...PERMANENT_FAILURE_TYPES].sort()).toEqual([...permanent].sort());
    for (const preset of [QUICK_ACTIVITY, PROPOSAL_ACTIVITY, TASK_DELIVERY])
      expect(preset.retry?.nonRetryableErrorTypes).toEqual(expect.arrayContaining(permanent));
  });

  it('keep a stale proposal version retryable', () => {
    expect(PERMANENT_FAILURE_TYPES).not.toContain(ACTIVITY_FAILURES.staleVersion);
  });
});
