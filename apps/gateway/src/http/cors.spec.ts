import { parseCorsOrigins } from './cors';
import { loadGatewayConfig } from '../gateway.config';

describe('GATEWAY_CORS_ORIGINS', () => {
  it('is empty by default: CORS off', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins('')).toEqual([]);
    expect(loadGatewayConfig({ JWT_SECRET: 'x'.repeat(40) }).corsOrigins).toEqual([]);
  });

  it('takes comma-separated origins, ignoring spaces and empty entries', () => {
    expect(parseCorsOrigins(' https://app.example.com, http://localhost:3000,,')).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
    ]);
  });

  it.each([
    '*',
    'app.example.com',
    'https://app.example.com/',
    'https://app.example.com/path',
    'ftp://files.example.com',
    'null',
  ])('refuses %p, naming the variable', (value) => {
    expect(() => parseCorsOrigins(value)).toThrow(/GATEWAY_CORS_ORIGINS/);
  });
});
