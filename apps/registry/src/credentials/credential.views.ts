import type { CredentialKind, CredentialView } from '@flowstack/contracts';
import type { Credential } from './credential.entity';

/** A credential as answers show it: everything but the value. */
export const toCredentialView = (c: Credential): CredentialView => ({
  id: c.id,
  name: c.name,
  kind: c.kind as CredentialKind,
  ...(c.description != null ? { description: c.description } : {}),
  keyVersion: c.keyVersion,
  valueUpdatedAt: c.valueUpdatedAt.toISOString(),
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});
