import { randomUUID } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { loadIdentityConfig } from '../identity.config';
import { JwtService } from './jwt.service';

const secret = 's'.repeat(40);
const jwt = new JwtService(loadIdentityConfig({ JWT_SECRET: secret }));
const claims = () => {
  const iat = Math.floor(Date.now() / 1000);
  return { sub: randomUUID(), jti: randomUUID(), iat, exp: iat + 60 };
};

describe('JwtService', () => {
  it('verifies what it issues', () => {
    const { token, claims: issued } = jwt.issue(randomUUID());
    expect(jwt.verify(token)).toEqual(issued);
  });

  it('verifies an HS256 token signed with the secret as a string, as tokens issued before the key object were', () => {
    const c = claims();
    expect(jwt.verify(sign(c, secret, { algorithm: 'HS256' }))).toEqual(c);
  });

  it.each(['HS384', 'HS512'] as const)('refuses a %s token even when signed with the right secret', (algorithm) => {
    expect(() => jwt.verify(sign(claims(), secret, { algorithm }))).toThrow(
      expect.objectContaining({ code: 'unauthenticated', message: 'invalid token' }),
    );
  });

  it('refuses a token signed with another secret', () => {
    expect(() => jwt.verify(sign(claims(), 'o'.repeat(40), { algorithm: 'HS256' }))).toThrow(
      expect.objectContaining({ code: 'unauthenticated', message: 'invalid token' }),
    );
  });
});
