import { useTranslation } from 'react-i18next';
import type { NodeRun } from './live-state';

/**
 * What a node is doing beyond its status: the agent's text while it streams, the lines a tool
 * printed, its attempt, its next retry, its cost and the gate's decision.
 */
export function NodeDetails({ nodeId, run }: { nodeId: string; run?: NodeRun }) {
  const { t } = useTranslation();
  if (!run) return null;
  return (
    <div className="node-details">
      <dl>
        {run.attempt !== undefined && (
          <div>
            <dt>{t('monitor.attempt')}</dt>
            <dd data-testid={`attempt-${nodeId}`}>{run.attempt}</dd>
          </div>
        )}
        {run.startedAt && (
          <div>
            <dt>{t('monitor.startedAt')}</dt>
            <dd>{new Date(run.startedAt).toLocaleTimeString()}</dd>
          </div>
        )}
        {run.finishedAt && (
          <div>
            <dt>{t('monitor.finishedAt')}</dt>
            <dd>{new Date(run.finishedAt).toLocaleTimeString()}</dd>
          </div>
        )}
        {run.durationMs !== undefined && (
          <div>
            <dt>{t('monitor.time')}</dt>
            <dd data-testid={`duration-${nodeId}`}>{t('monitor.ms', { ms: run.durationMs })}</dd>
          </div>
        )}
        {run.nextAttempt && (
          <div>
            <dt>{t('monitor.nextAttempt')}</dt>
            <dd>
              {t('monitor.nextAttemptAt', {
                attempt: run.nextAttempt.attempt,
                at: new Date(run.nextAttempt.dueAt).toLocaleTimeString(),
              })}
            </dd>
          </div>
        )}
        {run.cost !== undefined && (
          <div>
            <dt>{t('monitor.cost')}</dt>
            <dd data-testid={`cost-${nodeId}`}>{run.cost}</dd>
          </div>
        )}
        {run.decision && (
          <div>
            <dt>{t('monitor.decision')}</dt>
            <dd data-testid={`decision-${nodeId}`}>
              {t(`gate.${run.decision.decision}`)}
              {run.decision.comment ? `: ${run.decision.comment}` : ''}
            </dd>
          </div>
        )}
      </dl>
      {run.streamed !== undefined && (
        <section aria-labelledby={`stream-${nodeId}-title`}>
          <h4 id={`stream-${nodeId}-title`}>{t('monitor.streaming')}</h4>
          <pre className="stream" data-testid={`stream-${nodeId}`} aria-live="polite" tabIndex={0}>
            {run.streamed}
          </pre>
        </section>
      )}
      {run.logs && run.logs.length > 0 && (
        <section aria-labelledby={`logs-${nodeId}-title`}>
          <h4 id={`logs-${nodeId}-title`}>{t('monitor.logs')}</h4>
          <pre className="logs" data-testid={`logs-${nodeId}`} tabIndex={0}>
            {run.logs.map((l) => `${l.stream === 'stderr' ? '! ' : ''}${l.line}`).join('\n')}
          </pre>
        </section>
      )}
    </div>
  );
}
