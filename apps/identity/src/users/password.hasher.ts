import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { compare, hash } from 'bcrypt';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config';
import { BcryptGate } from '../throttle/bcrypt.gate';

/**
 * bcrypt password hashing at the configured cost (12 unless `BCRYPT_COST` says otherwise). Every
 * hash and compare passes through the `BcryptGate`: when too many are in flight it throws
 * `FlowstackError('rate_limited')` (retry after 1 s) instead of queueing without bound.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  /**
   * A hash of a random password at the same cost, compared against when the email is unknown, so
   * that a login for an unknown email takes as long as one with a wrong password.
   */
  private dummyHash: Promise<string> | undefined;

  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly gate: BcryptGate,
  ) {}

  onModuleInit(): void {
    // Computed at start so that the first unknown-email login is not the slow one.
    this.dummyHash = hash(randomBytes(16).toString('hex'), this.config.bcryptCost);
  }

  hash(password: string): Promise<string> {
    return this.gate.run(() => hash(password, this.config.bcryptCost));
  }

  /** True when `password` matches `passwordHash`; always false, after the same work, when there is no hash (an unknown email, an OIDC-only user). */
  async verify(password: string, passwordHash: string | null | undefined): Promise<boolean> {
    this.dummyHash ??= hash(randomBytes(16).toString('hex'), this.config.bcryptCost);
    const against = passwordHash ?? (await this.dummyHash);
    const matches = await this.gate.run(() => compare(password, against));
    return passwordHash != null && matches;
  }
}
