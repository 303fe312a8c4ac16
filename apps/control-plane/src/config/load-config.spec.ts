import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

const KEY = 'bf_abcd1234_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives every setting its documented default on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/bridgefleet',
      REDIS_URL: 'redis://127.0.0.1:6379/0',
      REDIS_PREFIX: 'bf',
      ROLES: ['all'],
      MIGRATE_ON_START: true,
      BODY_LIMIT: '256kb',
      LOG_LEVEL: 'info',
      RETRY_AFTER_SECONDS: 5,
    });
    expect(config.BRIDGEFLEET_ADMIN_KEY).toBeUndefined();
  });

  it('parses numbers, booleans, role lists and the admin key', () => {
    const config = loadConfig({ PORT: '8080', MIGRATE_ON_START: 'no', ROLES: 'api, worker', BRIDGEFLEET_ADMIN_KEY: KEY });
    expect(config.PORT).toBe(8080);
    expect(config.MIGRATE_ON_START).toBe(false);
    expect(config.ROLES).toEqual(['api', 'worker']);
    expect(config.BRIDGEFLEET_ADMIN_KEY).toBe(KEY);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', BRIDGEFLEET_ADMIN_KEY: '' });
    expect(config.PORT).toBe(3000);
    expect(config.BRIDGEFLEET_ADMIN_KEY).toBeUndefined();
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/bridgefleet'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_PREFIX', 'has spaces'],
    ['BRIDGEFLEET_ADMIN_KEY', 'bf_short_secret'],
    ['ROLES', 'api,janitor'],
    ['MIGRATE_ON_START', 'maybe'],
    ['BODY_LIMIT', 'lots'],
    ['LOG_LEVEL', 'loud'],
    ['RETRY_AFTER_SECONDS', '0'],
  ])('names %s when it is %j', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}\\b`));
  });

  it('reports every bad variable at once, in the error message too', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'x', REDIS_URL: 'nope' });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error?.problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['PORT', 'REDIS_URL']);
    expect(error?.message).toContain('PORT');
    expect(error?.message).toContain('REDIS_URL');
  });

  it('never echoes the admin key it rejects', () => {
    const secretish = 'bf_abcd1234_tooshort';
    expect(problemsOf({ BRIDGEFLEET_ADMIN_KEY: secretish }).join('\n')).not.toContain(secretish);
  });
});
