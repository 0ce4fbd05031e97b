import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  CREDENTIAL_VALUE_SCHEMAS,
  FlowstackError,
  notFound,
  parseRequest,
  type CreateCredentialRequest,
  type CredentialKind,
  type CredentialView,
  type ListQuery,
  type Page,
  type SealedCredential,
  type UpdateCredentialRequest,
} from '@flowstack/contracts';
import { AuditLog } from '@flowstack/orm';
import { seal, type Keyring } from '@flowstack/vault';
import { conflictOnUnique } from '../common/unique-conflict';
import { isUuid, type WorkspaceScope } from '@flowstack/orm';
import { decodeCursor, encodeCursor } from '@flowstack/orm';
import { Credential } from './credential.entity';
import { toCredentialView } from './credential.views';
import { findSealedCredential } from './sealed-credential.query';

/** What `registry.credential.delete` answers. */
export interface DeletedCredential {
  id: string;
  deleted: true;
}

const UNIQUE_NAME = [
  { constraint: 'credentials_workspace_name_unique', path: 'name', message: 'a credential with this name already exists' },
];

const streamOf = (id: string): string => `credential-${id}`;

/**
 * Credentials of one workspace. The value goes in sealed (`@flowstack/vault`, the workspace and
 * credential id as associated data) and never comes out of this class except sealed, through
 * `sealed` for the tool-runner. Events carry names, kinds and key versions, never a value.
 * Another workspace's credential and a deleted one answer `not_found`.
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly keyring: Keyring | undefined,
  ) {}

  async create(scope: WorkspaceScope, request: CreateCredentialRequest): Promise<CredentialView> {
    const keyring = this.requireKeyring();
    return conflictOnUnique(UNIQUE_NAME, () =>
      this.audit.transaction(scope.ctx, async (em, record) => {
        const now = new Date();
        const credential = em.create(Credential, {
          id: randomUUID(),
          workspaceId: scope.workspaceId,
          name: request.name,
          kind: request.kind,
          description: request.description ?? null,
          sealedValue: '',
          keyVersion: keyring.currentVersion,
          valueUpdatedAt: now,
        });
        credential.sealedValue = sealValue(keyring, scope.workspaceId, credential.id, request.value);
        await em.flush();
        await record(
          streamOf(credential.id),
          scope.workspaceId,
          [
            {
              type: 'CredentialCreated',
              data: {
                credentialId: credential.id,
                name: credential.name,
                kind: credential.kind,
                keyVersion: credential.keyVersion,
              },
            },
          ],
          'no_stream',
        );
        return toCredentialView(credential);
      }),
    );
  }

  async get(scope: WorkspaceScope, id: string): Promise<CredentialView> {
    return toCredentialView(await this.findLive(this.em.fork(), scope, id));
  }

  /** Newest first, keyset-paginated on (createdAt, id) like workflows. */
  async list(scope: WorkspaceScope, query: ListQuery): Promise<Page<CredentialView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.em.fork().find(
      Credential,
      {
        workspaceId: scope.workspaceId,
        deletedAt: null,
        ...(after
          ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, id: { $lt: after.id } }] }
          : {}),
      },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: query.limit + 1 },
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toCredentialView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  /**
   * Renames, re-describes, or rotates the value (sealed under the current key). A new value is
   * checked against the credential's kind, or the new `kind` given with it (`value...` paths).
   */
  async update(scope: WorkspaceScope, id: string, changes: UpdateCredentialRequest): Promise<CredentialView> {
    const keyring = changes.value === undefined ? undefined : this.requireKeyring();
    return conflictOnUnique(UNIQUE_NAME, () =>
      this.audit.transaction(scope.ctx, async (em, record) => {
        const credential = await this.findLive(em, scope, id, LockMode.PESSIMISTIC_WRITE);
        const events: { type: string; data: Record<string, unknown> }[] = [];
        if (changes.name !== undefined && changes.name !== credential.name) {
          events.push({ type: 'CredentialRenamed', data: { credentialId: id, from: credential.name, to: changes.name } });
          credential.name = changes.name;
        }
        if (changes.description !== undefined) credential.description = changes.description;
        if (keyring) {
          const kind = (changes.kind ?? credential.kind) as CredentialKind;
          const value = parseRequest(CREDENTIAL_VALUE_SCHEMAS[kind], changes.value, 'value');
          credential.kind = kind;
          credential.sealedValue = sealValue(keyring, scope.workspaceId, id, value);
          credential.keyVersion = keyring.currentVersion;
          credential.valueUpdatedAt = new Date();
          events.push({ type: 'CredentialRotated', data: { credentialId: id, kind, keyVersion: keyring.currentVersion } });
        }
        if (changes.description !== undefined) {
          events.push({ type: 'CredentialUpdated', data: { credentialId: id, changed: ['description'] } });
        }
        await em.flush();
        // A rename to the name it already has changes nothing and records nothing.
        if (events.length > 0) await record(streamOf(id), scope.workspaceId, events, 'any');
        return toCredentialView(credential);
      }),
    );
  }

  /**
   * Soft delete. Refused with `conflict` while a live agent or tool uses the credential (their
   * runs would fail); the row lock orders this against an agent being pointed at it.
   */
  async remove(scope: WorkspaceScope, id: string): Promise<DeletedCredential> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const credential = await this.findLive(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      const users = await em.execute<{ kind: string; id: string }[]>(
        `select 'agent' as kind, id from registry.agents where credential_id = ? and deleted_at is null
         union all select 'tool' as kind, id from registry.tools where credential_id = ? and deleted_at is null limit 20`,
        [id, id],
        'all',
      );
      if (users.length > 0) {
        const names = users.map((u) => `${u.kind} ${u.id}`).join(', ');
        throw new FlowstackError('conflict', `the credential is in use by ${names}: point them elsewhere first`, [
          { path: 'id', message: `in use by ${names}`, rule: 'credential_in_use' },
        ]);
      }
      credential.deletedAt = new Date();
      await em.flush();
      await record(streamOf(id), scope.workspaceId, [{ type: 'CredentialDeleted', data: { credentialId: id } }], 'any');
      return { id, deleted: true };
    });
  }

  /** The sealed value for the tool-runner, by id or by name; `not_found` for another workspace's. */
  async sealed(scope: WorkspaceScope, by: { id: string } | { name: string }): Promise<SealedCredential> {
    const found = await findSealedCredential(this.em, scope.workspaceId, by);
    if (!found) throw notFound('credential');
    return found;
  }

  private requireKeyring(): Keyring {
    if (!this.keyring) {
      throw new FlowstackError('unavailable', 'credentials are disabled: FLOWSTACK_MASTER_KEY is not set on the registry');
    }
    return this.keyring;
  }

  private async findLive(em: EntityManager, scope: WorkspaceScope, id: string, lockMode?: LockMode): Promise<Credential> {
    if (!isUuid(id)) throw notFound('credential');
    const found = await em.findOne(
      Credential,
      { id, workspaceId: scope.workspaceId, deletedAt: null },
      lockMode ? { lockMode } : {},
    );
    if (!found) throw notFound('credential');
    return found;
  }
}

/** The sealed plaintext is the value's JSON, so every kind reads back with one `JSON.parse`. */
const sealValue = (keyring: Keyring, workspaceId: string, credentialId: string, value: unknown): string =>
  seal(keyring, { workspaceId, credentialId }, JSON.stringify(value));
