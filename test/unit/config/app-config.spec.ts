import { ConfigError, loadConfig } from '../../../libs/config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
    expect(config.durations.reviewSla).toEqual({ unit: 'businessDays', days: 10 });
    expect(config.durations.amendmentWindow).toEqual({ unit: 'businessDays', days: 30 });
    expect(config.durations.reviewReminderAt).toBe(0.8);
    expect(config.countriesOfConcern).toEqual(['CN', 'HK', 'MO']);
    expect(config.auth.loginMaxAttempts).toBe(10);
  });

  it('reads wall-clock durations for tests and demos', () => {
    const config = loadConfig({ REVIEW_SLA: '5s', AMENDMENT_WINDOW: '2m' });
    expect(config.durations.reviewSla).toEqual({ unit: 'ms', ms: 5000 });
    expect(config.durations.amendmentWindow).toEqual({ unit: 'ms', ms: 120_000 });
  });

  it('lists every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', REVIEW_SLA: 'soon', COUNTRIES_OF_CONCERN: 'china', REVIEW_REMINDER_AT: '2', TEMPORAL_ADDRESS: 'nope' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'REVIEW_SLA', 'COUNTRIES_OF_CONCERN', 'REVIEW_REMINDER_AT', 'TEMPORAL_ADDRESS'])
      expect(problems).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).auth.jwtSecret).toBe('x'.repeat(40));
  });
});
