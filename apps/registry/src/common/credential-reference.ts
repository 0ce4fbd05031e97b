import type { EntityManager } from '@mikro-orm/postgresql';
import { FlowstackError } from '@flowstack/contracts';
import { isUuid } from '@flowstack/orm';

/**
 * Checks, inside the caller's transaction, that `credentialId` names a live credential of the
 * workspace, and holds a share lock on it until commit so a concurrent delete waits and then sees
 * the new reference. Another workspace's credential, a deleted one and an unknown id are all the
 * same `validation_failed` at `path` (rule `unknown_credential`): the request body is what is wrong.
 */
export async function assertCredentialInWorkspace(
  em: EntityManager,
  workspaceId: string,
  credentialId: string,
  path: string,
): Promise<void> {
  const row =
    isUuid(credentialId) &&
    (await em.execute(
      'select id from registry.credentials where id = ? and workspace_id = ? and deleted_at is null for share',
      [credentialId, workspaceId],
      'get',
    ));
  if (!row) {
    const message = 'no credential with this id in this workspace';
    throw new FlowstackError('validation_failed', `request is invalid: ${path} ${message}`, [
      { path, message, rule: 'unknown_credential' },
    ]);
  }
}
