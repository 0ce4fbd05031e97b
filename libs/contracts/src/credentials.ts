/**
 * Credentials: named secrets of a workspace (ARCHITECTURE.md section 6). The value is write-only:
 * requests carry it, no answer, event, audit row or log line ever does. What each kind's value
 * looks like is one zod schema per kind (`CREDENTIAL_VALUE_SCHEMAS`); the sealed plaintext is the
 * value's JSON, so the tool-runner reads every kind back with `JSON.parse`.
 */
import { z } from 'zod';

const secretText = z.string().min(1, 'must not be empty').max(16_384, 'at most 16384 characters');
/** An HTTP header name (RFC 9110 token). */
const headerName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name');
const headerValue = z
  .string()
  .max(16_384)
  .regex(/^[^\r\n\0]*$/, 'must not contain line breaks or NUL');

/** The value shape of each credential kind. */
export const CREDENTIAL_VALUE_SCHEMAS = {
  /** A provider's API key (`sk-...`): what an agent's `credentialId` names. */
  api_key: secretText,
  /** A token sent as `Authorization: Bearer <token>`. */
  bearer_token: secretText,
  /** `Authorization: Basic base64(username:password)`. */
  basic_auth: z.strictObject({ username: z.string().min(1).max(1024), password: secretText }),
  /** One header sent as is (`X-Api-Key: ...`). */
  header: z.strictObject({ name: headerName, value: headerValue.min(1, 'must not be empty') }),
  /** Headers for an MCP server's HTTP transports (a tool's `config.credentialId`). */
  mcp_headers: z
    .record(headerName, headerValue)
    .refine((h) => Object.keys(h).length > 0 && Object.keys(h).length <= 50, 'from 1 to 50 headers'),
} as const;

export type CredentialKind = keyof typeof CREDENTIAL_VALUE_SCHEMAS;
export const CREDENTIAL_KINDS = Object.keys(CREDENTIAL_VALUE_SCHEMAS) as [CredentialKind, ...CredentialKind[]];

/** How templates name it (`{{ secrets.<name> }}`): an identifier, unique in the workspace. */
export const credentialNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'letters, digits and _, not starting with a digit, at most 64 characters');

const kindSchema = z.enum(CREDENTIAL_KINDS);

/** `POST /api/v1/credentials`: the value must match the kind's schema (errors at `value...`). */
export const createCredentialSchema = z
  .strictObject({
    name: credentialNameSchema,
    kind: kindSchema,
    description: z.string().max(2000).optional(),
    value: z.unknown(),
  })
  .superRefine((body, ctx) => {
    const parsed = CREDENTIAL_VALUE_SCHEMAS[body.kind].safeParse(body.value);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['value', ...issue.path], message: `${body.kind}: ${issue.message}` });
    }
  });
export type CreateCredentialRequest = z.infer<typeof createCredentialSchema>;

/**
 * `PATCH /api/v1/credentials/{id}`: rename, describe, or rotate the value (checked against the
 * credential's kind by the registry, or against `kind` when the kind changes with it).
 */
export const updateCredentialSchema = z
  .strictObject({
    name: credentialNameSchema.optional(),
    description: z.string().max(2000).nullable().optional(),
    kind: kindSchema.optional(),
    value: z.unknown().optional(),
  })
  .refine((b) => b.kind === undefined || b.value !== undefined, { path: ['value'], message: 'a new kind needs a new value' })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' });
export type UpdateCredentialRequest = z.infer<typeof updateCredentialSchema>;

/** A credential as every answer shows it: never its value. */
export const credentialViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: kindSchema,
  description: z.string().optional(),
  /** The master key version the value is sealed under (rotation progress). */
  keyVersion: z.number().int(),
  /** When the value was last set (create or rotate). */
  valueUpdatedAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CredentialView = z.infer<typeof credentialViewSchema>;

/** `registry.credential.sealed`: the one answer that carries the value, sealed (tool-runner only). */
export interface SealedCredential {
  id: string;
  workspaceId: string;
  name: string;
  kind: CredentialKind;
  /** `fsv1.<keyVersion>.<nonce>.<body>`: open with `@flowstack/vault`'s `open` and this id and workspace. */
  sealed: string;
}
