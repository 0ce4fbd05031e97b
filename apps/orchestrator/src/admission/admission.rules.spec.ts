import { admissionOf, dispatchableCount, promotableCount, queuePosition } from './admission.rules';

describe('admission rules', () => {
  describe('admissionOf', () => {
    it('runs a start when a slot is free and nobody waits', () => {
      expect(admissionOf({ running: 1, queued: 0 }, 2)).toBe('run');
    });
    it('queues a start when every slot is taken', () => {
      expect(admissionOf({ running: 2, queued: 0 }, 2)).toBe('queue');
    });
    it('queues a start behind waiting runs even when a slot is free (FIFO: no overtaking)', () => {
      expect(admissionOf({ running: 1, queued: 3 }, 2)).toBe('queue');
    });
    it('never queues with no limit (0)', () => {
      expect(admissionOf({ running: 10_000, queued: 5 }, 0)).toBe('run');
    });
  });

  describe('promotableCount', () => {
    it('starts as many queued runs as there are free slots', () => {
      expect(promotableCount({ running: 1, queued: 5 }, 3)).toBe(2);
    });
    it('starts no more than are queued', () => {
      expect(promotableCount({ running: 0, queued: 1 }, 3)).toBe(1);
    });
    it('starts none over the limit (a lowered limit)', () => {
      expect(promotableCount({ running: 5, queued: 2 }, 3)).toBe(0);
    });
    it('starts every queued run with no limit', () => {
      expect(promotableCount({ running: 9, queued: 4 }, 0)).toBe(4);
    });
  });

  it('numbers queue places from 1', () => {
    expect(queuePosition(0)).toBe(1);
    expect(queuePosition(4)).toBe(5);
  });

  describe('dispatchableCount', () => {
    it('sends tasks up to the in-flight limit', () => {
      expect(dispatchableCount(8, 5, 10)).toBe(2);
    });
    it('sends none at the limit', () => {
      expect(dispatchableCount(10, 5, 10)).toBe(0);
    });
    it('sends all with no limit', () => {
      expect(dispatchableCount(10_000, 5, 0)).toBe(5);
    });
  });
});
