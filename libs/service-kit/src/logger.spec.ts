import { runWithLogContext, traceIdOf } from '@flowstack/contracts';
import { loadBaseConfig } from './config';
import { createLogger } from './logger';

describe('createLogger (LOG_FORMAT=json)', () => {
  const lines = (write: jest.SpyInstance): Array<Record<string, unknown>> =>
    write.mock.calls.map(([chunk]) => JSON.parse(String(chunk)) as Record<string, unknown>);

  it('carries the trace, workspace and execution ids of the work in progress, and none outside it', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const logger = createLogger({ ...loadBaseConfig('orchestrator', { LOG_FORMAT: 'json' }), logLevel: 'log' as const });
      logger.log('outside', 'test');
      const traceId = traceIdOf('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      await runWithLogContext({ traceId, workspaceId: 'ws-1' }, async () => {
        await Promise.resolve();
        await runWithLogContext({ executionId: 'ex-1' }, () => Promise.resolve(logger.log('inside', 'test')));
        logger.warn('after the inner one', 'test');
      });
      const [outside, inside, after] = lines(write);
      expect(outside).not.toHaveProperty('traceId');
      expect(outside).not.toHaveProperty('workspaceId');
      expect(inside).toMatchObject({
        message: 'inside',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        workspaceId: 'ws-1',
        executionId: 'ex-1',
      });
      expect(after).toMatchObject({ message: 'after the inner one', workspaceId: 'ws-1' });
      expect(after).not.toHaveProperty('executionId');
    } finally {
      write.mockRestore();
    }
  });

  it('reads the trace id of a traceparent only when it is well formed', () => {
    expect(traceIdOf('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(traceIdOf('garbage')).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
  });
});
