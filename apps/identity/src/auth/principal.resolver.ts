import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { FlowstackError, type ResolveRequest, type ResolvedPrincipal, type Role } from '@flowstack/contracts';
import { JwtService } from '../tokens/jwt.service';

interface PrincipalRow {
  revoked: boolean;
  workspace_id: string | null;
  role: Role | null;
}

/**
 * One round trip for the whole check, on every API call: the revocation lookup (primary key) and
 * at most two memberships (the unique (user_id, workspace_id) index) - two are enough to tell
 * "exactly one workspace" from "several". The LEFT JOIN keeps a row even without a membership, so
 * the revocation answer always comes back.
 */
const RESOLVE_SQL = `
  select exists (select 1 from identity.revoked_tokens where jti = ?) as revoked, m.workspace_id, m.role
  from (select 1) as one
  left join lateral (
    select workspace_id, role from identity.memberships
    where user_id = ? and (?::text is null or workspace_id::text = lower(?))
    order by created_at, id
    limit 2
  ) as m on true`;

/** Turns a bearer token and an optional workspace id into who is calling, where, with which role. */
@Injectable()
export class PrincipalResolver {
  constructor(
    private readonly em: EntityManager,
    private readonly jwt: JwtService,
  ) {}

  /**
   * Throws `unauthenticated` for an invalid, expired or revoked token; `not_found` for a workspace
   * the user does not belong to (never `forbidden`: another tenant's workspace must look absent);
   * `validation_failed` when no workspace is named and the user belongs to several.
   */
  async resolve(request: ResolveRequest): Promise<ResolvedPrincipal> {
    const claims = this.jwt.verify(request.token);
    const requested = request.workspaceId || null;
    const rows = await this.em.fork().execute<PrincipalRow[]>(RESOLVE_SQL, [claims.jti, claims.sub, requested, requested]);
    if (rows[0]?.revoked) throw new FlowstackError('unauthenticated', 'token revoked');
    const memberships = rows.filter((r): r is PrincipalRow & { workspace_id: string; role: Role } => r.workspace_id !== null);
    if (memberships.length === 0) throw new FlowstackError('not_found', 'workspace not found');
    if (memberships.length > 1) {
      throw new FlowstackError('validation_failed', 'X-Workspace-Id header is required: you belong to several workspaces', [
        { path: 'workspaceId', message: 'required when you belong to several workspaces', rule: 'required' },
      ]);
    }
    const [{ workspace_id: workspaceId, role }] = memberships;
    return { userId: claims.sub, workspaceId, role, jti: claims.jti };
  }
}
