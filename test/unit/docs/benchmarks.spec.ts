import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchReport, LATEST_JSON, readmeTable, renderReadmeTable, REQUIRED_KEYS, withReadmeTable } from '../../../scripts/bench/report';

const root = join(__dirname, '..', '..', '..');
const latest = JSON.parse(readFileSync(join(root, ...LATEST_JSON), 'utf8')) as BenchReport;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const shown = (value: number | null, digits: number) => (value === null ? 'n/a' : value.toFixed(digits));

/** Issue 12: the README's benchmark table is made from docs/benchmarks/latest.json, which names the machine and command. */
describe('docs/benchmarks/latest.json and the README table', () => {
  it('has the required keys, a ratio that is E2E over B0, and the machine it ran on', () => {
    for (const key of REQUIRED_KEYS) expect(latest).toHaveProperty(key);
    expect(typeof latest.b0Rate).toBe('number');
    expect(typeof latest.e2eRate).toBe('number');
    // A B0 arm that held no step has no rate to divide by.
    if (latest.b0Rate) expect(latest.ratio).toBeCloseTo((latest.e2eRate as number) / latest.b0Rate, 2);
    else expect(latest.ratio).toBeNull();
    expect(latest.command).toMatch(/npm run bench/);
    expect(latest.machine).toEqual(
      expect.objectContaining({ cpus: expect.any(Number), model: expect.any(String), memoryGb: expect.any(Number), node: expect.any(String) }),
    );
    expect(Number.isNaN(Date.parse(latest.startedAt))).toBe(false);
  });

  it('the README block is the table rendered from latest.json, and shows its rates and ratio', () => {
    const table = readmeTable(readme);
    expect(table).toBe(renderReadmeTable(latest));
    expect(table).toContain(`| ${shown(latest.b0Rate, 1)} | ${shown(latest.e2eRate, 1)} |`);
    expect(table).toContain(`| ${shown(latest.ratio, 2)} |`);
    expect(table).toContain(latest.command);
  });

  it('regenerating replaces only the block between the markers', () => {
    const changed = { ...latest, b0Rate: 1234.5 };
    const regenerated = withReadmeTable(readme, changed);
    expect(readmeTable(regenerated)).toContain('| 1234.5 |');
    expect(regenerated.replace(readmeTable(regenerated) as string, '')).toBe(readme.replace(readmeTable(readme) as string, ''));
  });
});
