import { ConfigurationError, boolFromEnv, checkConfig, intFromEnv } from './config';

describe('checkConfig', () => {
  const load = (env: NodeJS.ProcessEnv) => () => ({
    a: intFromEnv('A_COUNT', 1, env),
    b: boolFromEnv('B_FLAG', false, env),
    c: intFromEnv('C_MS', 5, env),
  });
  const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
    try {
      checkConfig(load(env), env);
      return [];
    } catch (e) {
      if (!(e instanceof ConfigurationError)) throw e;
      return e.problems;
    }
  };

  it('answers the config when every variable holds', () => {
    const env = { A_COUNT: '3', B_FLAG: 'yes', LOG_FORMAT: 'json', METRICS_PORT: '9464' };
    expect(checkConfig(load(env), env)).toEqual({ a: 3, b: true, c: 5 });
  });

  it('reports every bad variable, one line each, the shared ones and the service’s own', () => {
    expect(
      problemsOf({
        A_COUNT: 'many',
        B_FLAG: 'ture',
        C_MS: '-1',
        LOG_FORMAT: 'xml',
        METRICS_PORT: '70000',
        DATABASE_URL: 'mysql://u:secret@h/db',
        SHUTDOWN_TIMEOUT_MS: '0',
      }),
    ).toEqual([
      'DATABASE_URL must be a URL starting with postgres:// or postgresql://',
      'LOG_FORMAT must be pretty or json, got "xml"',
      'METRICS_PORT must be a port number (1-65535, or 0 for off), got "70000"',
      'SHUTDOWN_TIMEOUT_MS must be a positive number of milliseconds, got "0"',
      'A_COUNT must be a non-negative integer, got "many"',
      'B_FLAG must be true or false (or 1/0, yes/no, on/off), got "ture"',
      'C_MS must be a non-negative integer, got "-1"',
    ]);
  });

  it('never shows a URL (it may hold a password)', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://u:secret@h/db' }).join('\n')).not.toContain('secret');
  });

  it('adds the message of a check of the loader’s own that throws', () => {
    const env = { LOG_LEVEL: 'loud' };
    const failing = () => {
      intFromEnv('X_COUNT', 1, { X_COUNT: 'x' });
      throw new Error('Y must be at least 10, got 3');
    };
    expect(() => checkConfig(failing, env)).toThrow(ConfigurationError);
    try {
      checkConfig(failing, env);
    } catch (e) {
      expect((e as ConfigurationError).problems).toEqual([
        'LOG_LEVEL must be error, warn, log, debug or verbose, got "loud"',
        'X_COUNT must be a non-negative integer, got "x"',
        'Y must be at least 10, got 3',
      ]);
    }
  });

  it('throws at the first bad variable outside checkConfig (as before)', () => {
    expect(() => intFromEnv('A_COUNT', 1, { A_COUNT: '1.5' })).toThrow('A_COUNT must be a non-negative integer, got "1.5"');
  });
});
