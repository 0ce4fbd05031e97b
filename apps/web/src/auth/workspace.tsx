import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, unwrap } from '../api/client';

export type Role = 'admin' | 'editor' | 'viewer';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** The same order the server's access policy uses: a role satisfies itself and every weaker one. */
export const hasRole = (role: Role | undefined, needed: Role): boolean => role !== undefined && RANK[role] >= RANK[needed];

export interface WorkspaceInfo {
  id: string;
  name: string;
  role?: Role;
}

export interface WorkspaceView {
  workspaces: WorkspaceInfo[];
  /** The signed-in user's id (who decided a gate, who is "me" in the members list). */
  userId?: string;
  /** The caller's role in the active workspace; undefined until `/auth/me` answers. */
  role?: Role;
  /** Whether the caller's role reaches `needed`: the UI hides what the server would refuse. */
  can: (needed: Role) => boolean;
}

const WorkspaceContext = createContext<WorkspaceView>({ workspaces: [], can: () => false });

/**
 * Who the caller is in the active workspace, from `GET /auth/me`. The UI only hides buttons with
 * it; the server stays the judge of every call.
 */
export function WorkspaceProvider({ workspaceId, children }: { workspaceId: string; children: ReactNode }) {
  const [me, setMe] = useState<{ workspaces: WorkspaceInfo[]; userId?: string }>({ workspaces: [] });
  useEffect(() => {
    let cancelled = false;
    api
      .GET('/api/v1/auth/me')
      .then((r) => {
        const body = unwrap(r);
        if (!cancelled) setMe({ workspaces: body.workspaces ?? [], userId: body.user?.id });
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [workspaceId]);
  const role = me.workspaces.find((w) => w.id === workspaceId)?.role;
  return (
    <WorkspaceContext.Provider value={{ ...me, role, can: (needed) => hasRole(role, needed) }}>
      {children}
    </WorkspaceContext.Provider>
  );
}

export const useWorkspace = (): WorkspaceView => useContext(WorkspaceContext);
