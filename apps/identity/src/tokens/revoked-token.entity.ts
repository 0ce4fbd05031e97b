import { defineEntity, p } from '@mikro-orm/postgresql';

const RevokedTokenSchema = defineEntity({
  name: 'RevokedToken',
  schema: 'identity',
  tableName: 'revoked_tokens',
  properties: {
    /** The token's `jti` claim. */
    jti: p.uuid().primary(),
    /** The token's own `exp`: after it the row is useless (the signature check already fails). */
    expiresAt: p.datetime(),
    revokedAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A token that was logged out before it expired. */
export class RevokedToken extends RevokedTokenSchema.class {}
RevokedTokenSchema.setClass(RevokedToken);
