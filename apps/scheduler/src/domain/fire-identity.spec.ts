import { fireExecutionId, uuidV5 } from './fire-identity';

describe('fireExecutionId', () => {
  it('is RFC 9562 UUID v5 (the DNS namespace test vector)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('is the same for the same (schedule, slot) and differs for any other', () => {
    const slot = new Date('2027-01-01T10:00:00Z');
    const id = fireExecutionId('sched-1', slot);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fireExecutionId('sched-1', new Date(slot))).toBe(id);
    expect(fireExecutionId('sched-2', slot)).not.toBe(id);
    expect(fireExecutionId('sched-1', new Date('2027-01-01T10:00:00.001Z'))).not.toBe(id);
  });
});
