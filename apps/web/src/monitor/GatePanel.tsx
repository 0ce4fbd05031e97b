import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { hasRole, useWorkspace, type Role } from '../auth/workspace';
import { messageOf } from '../common/use-load';
import type { Approval } from './live-state';

/**
 * A waiting human gate: its prompt, and approve or reject with a comment for a member whose role
 * satisfies the gate's `approverRole` (editors and admins when it names none). The decision goes to
 * `POST /executions/{id}/approvals`; the monitor then shows it from the WebSocket like everyone
 * else watching.
 */
export function GatePanel({ executionId, nodeId, approval }: { executionId: string; nodeId: string; approval: Approval }) {
  const { t } = useTranslation();
  const { role } = useWorkspace();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const needed = (approval.approverRole as Role | undefined) ?? 'editor';
  const mayDecide = hasRole(role, needed);

  const decide = async (decision: 'approved' | 'rejected'): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      unwrap(
        await api.POST('/api/v1/executions/{id}/approvals', {
          params: { path: { id: executionId } },
          body: { nodeId, decision, ...(comment ? { comment } : {}) },
        }),
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="gate" aria-labelledby={`gate-${nodeId}-title`} data-testid={`gate-${nodeId}`}>
      <h3 id={`gate-${nodeId}-title`}>{t('gate.title', { id: nodeId })}</h3>
      <p className="gate-prompt">{approval.prompt}</p>
      {approval.dueAt && (
        <p className="hint">
          {t('gate.due', { at: new Date(approval.dueAt).toLocaleString(), decision: approval.onTimeout ?? 'rejected' })}
        </p>
      )}
      {mayDecide ? (
        <>
          <label>
            {t('gate.comment')}
            <textarea value={comment} onChange={(e) => setComment(e.target.value)} data-testid={`gate-comment-${nodeId}`} />
          </label>
          <div className="gate-actions">
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void decide('approved')}
              data-testid={`approve-${nodeId}`}
            >
              {t('gate.approve')}
            </button>
            <button type="button" disabled={busy} onClick={() => void decide('rejected')} data-testid={`reject-${nodeId}`}>
              {t('gate.reject')}
            </button>
          </div>
        </>
      ) : (
        <p className="hint">{t('gate.needsRole', { role: t(`role.${needed}`) })}</p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
