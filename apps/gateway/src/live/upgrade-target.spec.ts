import type { IncomingMessage } from 'node:http';
import { upgradeTargetOf } from './upgrade-target';

const req = (url: string, headers: Record<string, string> = {}): IncomingMessage => ({ url, headers }) as IncomingMessage;
const ID = '0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab';

describe('upgradeTargetOf', () => {
  it('reads the execution, the resume position and the workspace', () => {
    expect(upgradeTargetOf(req(`/ws/executions/${ID}?fromSeq=5`, { 'x-workspace-id': 'w1' }))).toEqual({
      executionId: ID,
      fromSeq: 5,
      workspaceId: 'w1',
    });
    expect(upgradeTargetOf(req(`/ws/executions/${ID}/?workspaceId=w2`))).toEqual({
      executionId: ID,
      fromSeq: 0,
      workspaceId: 'w2',
    });
  });

  it('answers not_found for other paths', () => {
    expect(() => upgradeTargetOf(req('/ws/other'))).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('answers validation_failed for an id that is not valid percent-encoding', () => {
    expect(() => upgradeTargetOf(req('/ws/executions/%E0%A4%A'))).toThrow(
      expect.objectContaining({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'executionId' })] }),
    );
  });

  it.each(['-1', '1.5', 'abc', '99999999999', '1e3x'])('answers validation_failed for fromSeq=%s', (fromSeq) => {
    expect(() => upgradeTargetOf(req(`/ws/executions/${ID}?fromSeq=${fromSeq}`))).toThrow(
      expect.objectContaining({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'fromSeq' })] }),
    );
  });
});
