import { isDatabaseOutage } from './database-outage';

const pgError = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });

describe('isDatabaseOutage', () => {
  it.each([
    ['a refused connection', pgError('ECONNREFUSED')],
    ['a reset connection', pgError('ECONNRESET')],
    ['a connection exception', pgError('08006')],
    ['an admin shutdown', pgError('57P01')],
    ['a database starting up', pgError('57P03')],
    ['too many connections', pgError('53300')],
    ['the driver losing its connection', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect', new Error('timeout exceeded when trying to connect')],
  ])('is true for %s', (_, e) => expect(isDatabaseOutage(e)).toBe(true));

  it.each([
    ['jsonb refusing \\u0000', pgError('22P05')],
    ['a unique violation', pgError('23505')],
    ['a stack overflow while serializing', new RangeError('Maximum call stack size exceeded')],
    ['a plain error', new Error('boom')],
    ['a non-error', 'boom'],
    ['null', null],
  ])('is false for %s', (_, e) => expect(isDatabaseOutage(e)).toBe(false));
});
