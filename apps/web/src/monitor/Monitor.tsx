import { Background, Controls, ReactFlow, ReactFlowProvider, type Edge } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap, type Session } from '../api/client';
import { navigate } from '../app/router';
import { toFlow } from '../designer/Designer';
import { nodeTypes, type FlowNodeType } from '../designer/FlowNode';
import { fromApiGraph, type ApiGraph } from '../designer/graph-model';
import { isValueRef, type ValueRef } from './value-ref';
import { useWorkspace } from '../auth/workspace';
import { messageOf } from '../common/use-load';
import { GatePanel } from './GatePanel';
import { NodeDetails } from './NodeDetails';
import {
  applyMessage,
  costSoFar,
  initialRunState,
  isFinished,
  waitingGates,
  type LiveMessage,
  type RunState,
} from './live-state';
import { watchExecution } from './live-socket';

/** The run monitor: the pinned graph, each node's live status from the WebSocket, outputs and cost. */
export function Monitor({ executionId, session }: { executionId: string; session: Session }) {
  const { t } = useTranslation();
  const [graph, setGraph] = useState<{ nodes: FlowNodeType[]; edges: Edge[]; workflowId: string }>();
  const [run, setRun] = useState<RunState>(initialRunState);
  const [socket, setSocket] = useState<string>('connecting');
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const { can } = useWorkspace();
  const seq = useRef(0);
  // Bumped after a retry: the server closed the socket at the failure, so the watch starts again
  // from the last applied seq and the new steps follow.
  const [generation, setGeneration] = useState(0);
  const [busy, setBusy] = useState(false);

  const retry = async (): Promise<void> => {
    setError(undefined);
    setBusy(true);
    try {
      unwrap(await api.POST('/api/v1/executions/{id}/retry', { params: { path: { id: executionId } }, body: {} }));
      setGeneration((g) => g + 1);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  /** A new run of the same version from `nodeId`, the results before it copied; the monitor follows it. */
  const fork = async (nodeId: string): Promise<void> => {
    setError(undefined);
    setBusy(true);
    try {
      const res = unwrap(
        await api.POST('/api/v1/executions/{id}/fork', { params: { path: { id: executionId } }, body: { fromNodeId: nodeId } }),
      );
      navigate(`/executions/${res.executionId}`);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };

  const cancel = async (): Promise<void> => {
    setError(undefined);
    try {
      unwrap(await api.POST('/api/v1/executions/{id}/cancel', { params: { path: { id: executionId } }, body: {} }));
    } catch (e) {
      setError(messageOf(e));
    }
  };

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const exec = unwrap(await api.GET('/api/v1/executions/{id}', { params: { path: { id: executionId } } })) as {
          workflowId: string;
          workflowVersion: number;
        };
        const version = unwrap(
          await api.GET('/api/v1/workflows/{id}/versions/{version}', {
            params: { path: { id: exec.workflowId, version: String(exec.workflowVersion) } },
          }),
        ) as { graph: ApiGraph };
        if (!cancelled) setGraph({ ...toFlow(fromApiGraph(version.graph)), workflowId: exec.workflowId });
      } catch (e) {
        if (!cancelled) setError(e instanceof ApiError ? e.problem.detail : String(e));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [executionId]);

  useEffect(() => {
    const stop = watchExecution({
      executionId,
      token: session.token,
      workspaceId: session.workspaceId,
      fromSeq: () => seq.current,
      onMessage: (m: LiveMessage) =>
        setRun((s) => {
          const next = applyMessage(s, m);
          seq.current = next.seq;
          return next;
        }),
      onState: setSocket,
    });
    return () => stop();
  }, [executionId, session, generation]);

  const nodes = useMemo(
    () =>
      graph?.nodes.map((n) => {
        const r = run.nodes[n.id];
        return {
          ...n,
          draggable: false,
          connectable: false,
          selected: n.id === selected,
          data: {
            ...n.data,
            status: r?.status ?? 'pending',
            ...(r?.durationMs !== undefined ? { durationMs: r.durationMs } : {}),
          },
        };
      }) ?? [],
    [graph, run.nodes, selected],
  );
  const picked = selected ? run.nodes[selected] : undefined;
  const pickedValue = picked?.error ?? picked?.output ?? null;

  return (
    <div className="monitor">
      <section className="canvas-column" aria-label={t('monitor.graph')}>
        <div className="toolbar">
          <h1 className="monitor-title">{t('monitor.title')}</h1>
          <span className={`badge status-${run.status}`} data-testid="run-status" data-status={run.status}>
            {t(`status.${run.status}`)}
          </span>
          {run.queue && (
            <span className="badge" data-testid="run-queue">
              {t('monitor.queued', { position: run.queue.position })}
            </span>
          )}
          <span className="badge">{t(`socket.${socket}`)}</span>
          {can('editor') && !isFinished(run) && (
            <button type="button" onClick={() => void cancel()} data-testid="cancel-run">
              {t('monitor.cancel')}
            </button>
          )}
          {can('editor') && run.status === 'failed' && (
            <button type="button" className="primary" disabled={busy} onClick={() => void retry()} data-testid="retry-run">
              {t('monitor.retry')}
            </button>
          )}
          {run.retries !== undefined && (
            <span className="badge" data-testid="run-retries">
              {t('monitor.retries', { count: run.retries })}
            </span>
          )}
          {graph && (
            <button type="button" onClick={() => navigate(`/workflows/${graph.workflowId}`)}>
              {t('monitor.backToDesigner')}
            </button>
          )}
        </div>
        {error && <p role="alert">{error}</p>}
        <div className="canvas">
          <ReactFlowProvider>
            <ReactFlow
              nodes={nodes}
              edges={graph?.edges ?? []}
              nodeTypes={nodeTypes}
              nodesDraggable={false}
              nodesConnectable={false}
              onNodeClick={(_, n) => setSelected(n.id)}
              onPaneClick={() => setSelected(undefined)}
              fitView
              fitViewOptions={{ maxZoom: 1, minZoom: 0.1 }}
              minZoom={0.1}
              proOptions={{ hideAttribution: true }}
            >
              <Background />
              <Controls />
            </ReactFlow>
          </ReactFlowProvider>
        </div>
        <footer className="run-footer">
          <span>
            {t('monitor.totalCost')}: <strong data-testid="total-cost">{costSoFar(run)}</strong>
          </span>
          {run.durationMs !== undefined && <span>{t('monitor.duration', { ms: run.durationMs })}</span>}
          {run.cancellation && (
            <span data-testid="cancellation">{t('monitor.cancelledBy', { reason: run.cancellation.reason || '—' })}</span>
          )}
        </footer>
      </section>
      <aside className="inspector" aria-labelledby="steps-title">
        {waitingGates(run).map(([nodeId, approval]) => (
          <GatePanel key={nodeId} executionId={executionId} nodeId={nodeId} approval={approval} />
        ))}
        <h2 id="steps-title">{t('monitor.steps')}</h2>
        <table className="steps">
          <thead>
            <tr>
              <th scope="col">{t('monitor.node')}</th>
              <th scope="col">{t('monitor.status')}</th>
              <th scope="col">{t('monitor.attempt')}</th>
              <th scope="col">{t('monitor.time')}</th>
              <th scope="col">{t('monitor.cost')}</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((n) => (
              <tr key={n.id} className={n.id === selected ? 'selected' : ''}>
                <td>
                  <button type="button" className="link" onClick={() => setSelected(n.id)}>
                    {n.data.label || n.id}
                  </button>
                </td>
                <td data-testid={`step-status-${n.id}`}>{t(`status.${n.data.status}`)}</td>
                <td data-testid={`step-attempt-${n.id}`}>{run.nodes[n.id]?.attempt ?? ''}</td>
                <td>{n.data.durationMs !== undefined ? t('monitor.ms', { ms: n.data.durationMs }) : ''}</td>
                <td>{run.nodes[n.id]?.cost ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {selected && (
          <section aria-labelledby="node-output-title">
            <h3 id="node-output-title">{t('monitor.outputOf', { id: selected })}</h3>
            {can('editor') && isFinished(run) && (
              <button type="button" disabled={busy} onClick={() => void fork(selected)} data-testid="fork-run">
                {t('monitor.forkFrom', { id: selected })}
              </button>
            )}
            <NodeDetails nodeId={selected} run={picked} />
            <ValueView executionId={executionId} value={pickedValue} testId="selected-node-output" />
          </section>
        )}
        <section aria-labelledby="run-output-title">
          <h3 id="run-output-title">{t('monitor.output')}</h3>
          <pre className="json" data-testid="run-output" tabIndex={0}>
            {run.status === 'failed' ? JSON.stringify(run.error ?? null, null, 2) : JSON.stringify(run.output ?? null, null, 2)}
          </pre>
        </section>
      </aside>
    </div>
  );
}

/**
 * A value as JSON; a value stored out of band (over 64 KiB: `{ ref, size, sha256 }`) is downloaded
 * from `GET /executions/{id}/values/{sha256}` when asked for.
 */
function ValueView({ executionId, value, testId }: { executionId: string; value: unknown; testId: string }) {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<{ ref: ValueRef; value: unknown }>();
  const [error, setError] = useState<string>();
  if (isValueRef(value) && loaded?.ref !== value) {
    const load = async (): Promise<void> => {
      try {
        const r = await api.GET('/api/v1/executions/{id}/values/{sha256}', {
          params: { path: { id: executionId, sha256: value.sha256 } },
        });
        setLoaded({ ref: value, value: unwrap(r) });
      } catch (e) {
        setError(e instanceof ApiError ? e.problem.detail : String(e));
      }
    };
    return (
      <div>
        <p>{t('monitor.storedValue', { size: value.size })}</p>
        <button type="button" onClick={() => void load()}>
          {t('monitor.loadValue')}
        </button>
        {error && <p role="alert">{error}</p>}
      </div>
    );
  }
  const shown = isValueRef(value) && loaded ? loaded.value : value;
  return (
    <pre className="json" data-testid={testId} tabIndex={0}>
      {JSON.stringify(shown, null, 2)}
    </pre>
  );
}
