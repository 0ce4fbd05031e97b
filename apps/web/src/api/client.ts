import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

/** A problem+json answer (RFC 9457) with the graph issues the server names. */
export type Problem = components['schemas']['Problem'];
export type ProblemIssue = NonNullable<Problem['errors']>[number];

/** The signed-in session: the bearer token and the workspace every call is made in. */
export interface Session {
  token: string;
  workspaceId: string;
  email: string;
}

let current: Session | undefined;
export const setApiSession = (s: Session | undefined): void => {
  current = s;
};

const auth: Middleware = {
  onRequest({ request }) {
    if (current) {
      request.headers.set('authorization', `Bearer ${current.token}`);
      request.headers.set('x-workspace-id', current.workspaceId);
    }
    return request;
  },
};

/** The typed client of the gateway's REST API, generated from its OpenAPI document (schema.d.ts). */
// `globalThis.location`: absent where components are rendered to HTML in unit specs (no browser there).
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin });
api.use(auth);

/** Thrown for any non-2xx answer, carrying the problem body. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
}

/** Unwraps an openapi-fetch result: the data, or an `ApiError` with the problem. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const e = result.error as Partial<Problem> | undefined;
    throw new ApiError({
      type: e?.type ?? 'about:blank',
      title: e?.title ?? result.response.statusText,
      status: e?.status ?? result.response.status,
      code: e?.code ?? 'unknown',
      detail: e?.detail ?? result.response.statusText,
      errors: e?.errors,
    });
  }
  return result.data as T;
}
