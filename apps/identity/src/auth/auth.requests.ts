import { z } from 'zod';
import { loginSchema, registerSchema } from '@flowstack/contracts';

/**
 * The client address as the gateway saw it (Express `req.ip`, which honours `X-Forwarded-For`
 * only when `GATEWAY_TRUST_PROXY` says so). Added by the gateway, never read from the client's
 * body: the public schemas of `@flowstack/contracts` strip unknown keys before it is set.
 */
const clientIp = z.string().max(100).optional();
/** The client's `User-Agent`, for the audit log; added by the gateway like `clientIp`. */
const userAgent = z.string().max(1000).optional();

/** `identity.auth.resolve`: the gateway forwards the bearer token and `X-Workspace-Id`, if any. */
export const resolveRequestSchema = z.object({
  token: z.string().min(1).max(8192),
  /** Empty means absent: the gateway may forward an empty header as is. */
  workspaceId: z.string().max(100).optional(),
});

/** `identity.auth.logout`. */
export const logoutRequestSchema = z.object({
  token: z.string().min(1).max(8192),
  clientIp,
  userAgent,
});

/**
 * bcrypt reads at most 72 bytes of a password and silently ignores the rest, so two passwords
 * that share their first 72 bytes would be the same password. Registration refuses longer ones.
 */
export const MAX_PASSWORD_BYTES = 72;

export const passwordBytes = (password: string): number => Buffer.byteLength(password, 'utf8');

/** `identity.auth.register`: the public body, the 72-byte rule, and the client address. */
export const registerRequestSchema = registerSchema.extend({
  password: registerSchema.shape.password.refine((p) => passwordBytes(p) <= MAX_PASSWORD_BYTES, {
    message: `must be at most ${MAX_PASSWORD_BYTES} bytes in UTF-8 (bcrypt ignores anything longer)`,
  }),
  clientIp,
});
export type RegisterRpcRequest = z.output<typeof registerRequestSchema>;

/** `identity.auth.login`: the public body and the client address. */
export const loginRequestSchema = loginSchema.extend({ clientIp, userAgent });
export type LoginRpcRequest = z.output<typeof loginRequestSchema>;
