import type { ConsoleLogger } from '@nestjs/common';
import { createLogger } from './logger';
import { loadBaseConfig } from './config';
import { redactSecrets } from './log-redaction';

describe('redactSecrets', () => {
  it.each([
    ['authorization: Bearer abc.def-123', 'authorization: Bearer [REDACTED]'],
    ['cannot reach postgres://flowstack:hunter2@db:5432/x', 'cannot reach postgres://flowstack:***@db:5432/x'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJl', 'token [REDACTED]'],
    ['key fsk_1a2b3c4d_Zm9vYmFyYmF6cXV4 refused', 'key fsk_1a2b3c4d_[REDACTED] refused'],
    [`master v1:${'A'.repeat(43)}=`, 'master v1:[REDACTED]'],
    ['provider said sk-proj-abcdefghijklmnop is invalid', 'provider said sk-[REDACTED] is invalid'],
    ['{"password":"correct horse","user":"a"}', '{"password":"[REDACTED]","user":"a"}'],
    ['client_secret=s3cr3t&x=1', 'client_secret=[REDACTED]&x=1'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text = 'execution 6f1c… node fetch failed: timeout after 1000 ms (attempt 2 of 3)';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('createLogger', () => {
  const capture = (format: 'json' | 'pretty', log: (logger: ConsoleLogger) => void): string => {
    const chunks: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((c) => (chunks.push(String(c)), true));
    const writeErr = jest.spyOn(process.stderr, 'write').mockImplementation((c) => (chunks.push(String(c)), true));
    try {
      log(createLogger({ ...loadBaseConfig('spec', {}), logFormat: format }));
    } finally {
      write.mockRestore();
      writeErr.mockRestore();
    }
    return chunks.join('');
  };

  it('redacts secrets in JSON lines, in messages and in logged objects', () => {
    const out = capture('json', (logger) => {
      logger.error('upstream refused Bearer abc123');
      logger.log({ user: 'a', password: 'correct horse' });
    });
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 'error', message: 'upstream refused Bearer [REDACTED]', context: 'spec' });
    expect(JSON.stringify(lines[1])).not.toContain('correct horse');
    expect(out).not.toContain('abc123');
  });

  it('redacts secrets in pretty lines too', () => {
    const out = capture('pretty', (logger) => logger.warn('cannot reach nats://svc:pw123@nats:4222'));
    expect(out).toContain('nats://svc:***@nats:4222');
    expect(out).not.toContain('pw123');
  });
});
