import { latency, positiveIntEnv } from '../../../scripts/bench/inbox-at-scale';

describe('benchmark latency summary', () => {
  it('takes nearest-rank percentiles whatever the order of the runs', () => {
    // 1..200 ms shuffled: p50 is the 100th value, p99 the 198th.
    const runs = Array.from({ length: 200 }, (_, i) => ((i * 37) % 200) + 1);
    expect(latency(runs)).toEqual({ runs: 200, p50Ms: 100, p99Ms: 198, maxMs: 200 });
  });

  it('rounds to hundredths of a millisecond and handles a single run', () => {
    expect(latency([1.23456])).toEqual({ runs: 1, p50Ms: 1.23, p99Ms: 1.23, maxMs: 1.23 });
  });

  it('refuses no runs rather than reporting zeros', () => {
    expect(() => latency([])).toThrow('no runs');
  });
});

describe('benchmark settings from the environment', () => {
  const NAME = 'BENCH_TEST_SETTING';
  afterEach(() => delete process.env[NAME]);

  it('uses the default when unset or empty', () => {
    expect(positiveIntEnv(NAME, 7)).toBe(7);
    process.env[NAME] = '';
    expect(positiveIntEnv(NAME, 7)).toBe(7);
  });

  it('reads a positive integer', () => {
    process.env[NAME] = '2500';
    expect(positiveIntEnv(NAME, 7)).toBe(2500);
  });

  it.each(['0', '-3', '1.5', 'ten'])('refuses %s', (raw) => {
    process.env[NAME] = raw;
    expect(() => positiveIntEnv(NAME, 7)).toThrow(`${NAME} must be a positive integer`);
  });
});
