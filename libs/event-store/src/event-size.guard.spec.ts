import { FlowstackError } from '@flowstack/contracts';
import { assertEventFits } from './event-size.guard';

describe('assertEventFits', () => {
  const refusal = (json: string, limit: number): FlowstackError | undefined => {
    try {
      assertEventFits('thing-1', 'Happened', json, limit);
      return undefined;
    } catch (e) {
      return e as FlowstackError;
    }
  };

  it('lets an event of exactly the limit through, and refuses one byte more', () => {
    expect(refusal('x'.repeat(100), 100)).toBeUndefined();
    const error = refusal('x'.repeat(101), 100);
    expect(error).toBeInstanceOf(FlowstackError);
    expect(error?.code).toBe('payload_too_large');
    expect(error?.message).toMatch(/Happened of thing-1/);
  });

  it('counts UTF-8 bytes: 60 two-byte characters are over a limit of 100', () => {
    expect(refusal('é'.repeat(50), 100)).toBeUndefined();
    expect(refusal('é'.repeat(60), 100)?.code).toBe('payload_too_large');
  });
});
