import { decideOverlap } from './overlap';

describe('decideOverlap', () => {
  it.each([
    ['allow', 0, 0, 'start'],
    ['allow', 3, 0, 'start'],
    ['skip', 0, 0, 'start'],
    ['skip', 1, 0, 'skip'],
    ['buffer_one', 0, 0, 'start'],
    ['buffer_one', 1, 0, 'buffer'],
    ['buffer_one', 1, 1, 'skip'],
  ] as const)('%s with %d running and %d buffered -> %s', (policy, running, buffered, decision) => {
    expect(decideOverlap(policy, running, buffered)).toBe(decision);
  });
});
