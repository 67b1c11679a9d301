import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { projectPath } from '../../libs/config/paths';
import * as workflows from '../../workflows';

const recorded = readdirSync(projectPath('test', 'histories')).filter((f) => f.endsWith('.json'));

/** The workflow type a recorded history ran (its first event), e.g. `proposalWorkflow`. */
function workflowTypeOf(file: string): string {
  const { events } = JSON.parse(readFileSync(projectPath('test', 'histories', file), 'utf8')) as {
    events: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[];
  };
  return events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? `(none in ${file})`;
}

/** Replays the recorded histories in test/histories against today's workflow bundle (scripts/replay-histories.ts). */
describe('workflow replay', () => {
  it('replays every recorded history without nondeterminism', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(3);
    const run = spawnSync(process.execPath, [projectPath('dist', 'scripts', 'replay-histories.js')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stdout).toContain(`${recorded.length} replayed, 0 failed`);
    expect(run.status).toBe(0);
  });

  it('holds a recorded history of every workflow type the worker registers', () => {
    const registered = Object.entries(workflows)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    expect(registered.length).toBeGreaterThanOrEqual(5);
    const covered = new Set(recorded.map(workflowTypeOf));
    expect(registered.filter((name) => !covered.has(name))).toEqual([]);
    expect([...covered].filter((name) => !registered.includes(name))).toEqual([]);
  });
});
