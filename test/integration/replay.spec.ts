import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { projectPath } from '../../libs/config/paths';

/** Replays the recorded histories in test/histories against today's workflow bundle (scripts/replay-histories.ts). */
describe('workflow replay', () => {
  it('replays every recorded history without nondeterminism', () => {
    const recorded = readdirSync(projectPath('test', 'histories')).filter((f) => f.endsWith('.json'));
    expect(recorded.length).toBeGreaterThanOrEqual(3);
    const run = spawnSync(process.execPath, [projectPath('dist', 'scripts', 'replay-histories.js')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stdout).toContain(`${recorded.length} replayed, 0 failed`);
    expect(run.status).toBe(0);
  });
});
