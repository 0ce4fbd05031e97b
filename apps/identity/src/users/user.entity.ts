import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';

const UserSchema = defineEntity({
  name: 'User',
  schema: 'identity',
  tableName: 'users',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** Stored lower-cased (the request schema lowers it); unique across the platform. */
    email: p.string(),
    /** bcrypt hash; never leaves this service. Null for a user who only signs in through OIDC. */
    passwordHash: p.string().hidden().nullable(),
    name: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

/** A person who signs in with an email and a password. */
export class User extends UserSchema.class {}
UserSchema.setClass(User);
