import type { EntityManager } from '@mikro-orm/postgresql';
import type { CredentialKind, SealedCredential } from '@flowstack/contracts';
import { isUuid } from '@flowstack/orm';

/**
 * A live credential of the workspace with its sealed value, by id or by name; undefined when there
 * is none (deleted, another workspace's, or an id that is no UUID). One indexed read, no entity:
 * the sealed value never enters an identity map.
 */
export async function findSealedCredential(
  em: EntityManager,
  workspaceId: string,
  by: { id: string } | { name: string },
): Promise<SealedCredential | undefined> {
  if ('id' in by && !isUuid(by.id)) return undefined;
  const [column, value] = 'id' in by ? ['id', by.id] : ['name', by.name];
  const row = (await em.execute(
    `select id, name, kind, sealed_value from registry.credentials
      where ${column} = ? and workspace_id = ? and deleted_at is null`,
    [value, workspaceId],
    'get',
  )) as { id: string; name: string; kind: CredentialKind; sealed_value: string } | undefined;
  return row && { id: row.id, workspaceId, name: row.name, kind: row.kind, sealed: row.sealed_value };
}
