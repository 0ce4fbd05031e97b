import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';

const CredentialSchema = defineEntity({
  name: 'Credential',
  schema: 'registry',
  tableName: 'credentials',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    workspaceId: p.uuid(),
    name: p.string(),
    kind: p.string(),
    description: p.text().nullable(),
    /** `@flowstack/vault`'s sealed format; never leaves the registry except through `credential.sealed`. */
    sealedValue: p.text().lazy(),
    keyVersion: p.integer(),
    valueUpdatedAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate((c: { createdAt?: Date }) => c.createdAt ?? new Date())
      .onUpdate(() => new Date()),
    deletedAt: p.datetime().nullable(),
  },
});

/** A named secret of a workspace, its value sealed with the workspace and its own id as associated data. */
export class Credential extends CredentialSchema.class {}
CredentialSchema.setClass(Credential);
