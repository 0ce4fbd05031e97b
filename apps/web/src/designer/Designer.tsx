import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useWorkspace } from '../auth/workspace';
import { api, ApiError, unwrap, type ProblemIssue } from '../api/client';
import { navigate } from '../app/router';
import { JsonField, ConfigForm } from './ConfigForm';
import { nodeTypes, type FlowNodeType } from './FlowNode';
import {
  defaultWhen,
  edgeId,
  fromApiGraph,
  issuesByTarget,
  nextNodeId,
  toApiGraph,
  type ApiGraph,
  type Design,
} from './graph-model';
import { commit, historyOf, redo, undo, type History } from './history';
import { BRANCHING_KINDS, defaultConfig, isNodeKind, NODE_KINDS, type NodeKind } from './node-kinds';

interface Canvas {
  nodes: FlowNodeType[];
  edges: Edge[];
}

const DND_TYPE = 'application/x-flowstack-node';

export const toFlow = (d: Design): Canvas => ({
  nodes: d.nodes.map((n) => ({
    id: n.id,
    type: 'flow',
    position: n.position,
    data: { kind: n.kind, ...(n.label ? { label: n.label } : {}), ...(n.config ? { config: n.config } : {}) },
  })),
  edges: d.edges.map((e) => flowEdge(e.source, e.target, e.when)),
});

const flowEdge = (source: string, target: string, when?: string): Edge => ({
  id: edgeId(source, target),
  source,
  target,
  ...(when ? { label: when, data: { when } } : {}),
});

const toDesign = (c: Canvas, inputSchema?: Record<string, unknown>): Design => ({
  nodes: c.nodes.map((n) => ({ id: n.id, kind: n.data.kind, label: n.data.label, config: n.data.config, position: n.position })),
  edges: c.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    when: (e.data as { when?: string } | undefined)?.when,
  })),
  ...(inputSchema ? { inputSchema } : {}),
});

export function Designer(props: { workflowId?: string }) {
  return (
    <ReactFlowProvider>
      <DesignerInner {...props} />
    </ReactFlowProvider>
  );
}

function DesignerInner({ workflowId: initialId }: { workflowId?: string }) {
  const { t } = useTranslation();
  // Viewers read the graph; the buttons that change or run it are for editors (the server refuses them anyway).
  const editable = useWorkspace().can('editor');
  const flow = useReactFlow();
  const [workflowId, setWorkflowId] = useState(initialId);
  const [name, setName] = useState(() => t('designer.untitled'));
  const [version, setVersion] = useState<number>();
  const [inputSchema, setInputSchema] = useState<Record<string, unknown>>();
  const [hist, setHist] = useState<History<Canvas>>(() => historyOf({ nodes: [], edges: [] }));
  const [selected, setSelected] = useState<{ node?: string; edge?: string }>({});
  const [issues, setIssues] = useState<ProblemIssue[]>();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [dirty, setDirty] = useState(false);
  const [loading, setLoading] = useState(Boolean(initialId));
  const [runInput, setRunInput] = useState<unknown>({});
  const [showRun, setShowRun] = useState(false);
  const canvas = hist.present;

  useEffect(() => {
    if (!initialId) return;
    api
      .GET('/api/v1/workflows/{id}', { params: { path: { id: initialId } } })
      .then((r) => {
        const wf = unwrap(r) as { name: string; version: number; graph: ApiGraph };
        setName(wf.name);
        setVersion(wf.version);
        setInputSchema(wf.graph.input_schema);
        setHist(historyOf(toFlow(fromApiGraph(wf.graph))));
      })
      .catch((e: unknown) => setMessage({ kind: 'error', text: e instanceof ApiError ? e.problem.detail : String(e) }))
      .finally(() => setLoading(false));
  }, [initialId]);

  const change = useCallback((next: (c: Canvas) => Canvas, record = true) => {
    setHist((h) => {
      const n = next(h.present);
      return record ? commit(h, n) : { ...h, present: n };
    });
    if (record) setDirty(true);
  }, []);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNodeType>[]) => {
      for (const c of changes) if (c.type === 'select' && c.selected) setSelected({ node: c.id });
      const structural = changes.some((c) => c.type === 'remove' || (c.type === 'position' && c.dragging === false));
      change((c) => {
        const nodes = applyNodeChanges(changes, c.nodes);
        const removed = new Set(changes.filter((x) => x.type === 'remove').map((x) => x.id));
        const edges = removed.size ? c.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) : c.edges;
        return { nodes, edges };
      }, structural);
    },
    [change],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      for (const c of changes) if (c.type === 'select' && c.selected) setSelected({ edge: c.id });
      change(
        (c) => ({ ...c, edges: applyEdgeChanges(changes, c.edges) }),
        changes.some((c) => c.type === 'remove'),
      );
    },
    [change],
  );
  const onConnect = useCallback(
    (conn: Connection) =>
      change((c) => {
        if (c.edges.some((e) => e.source === conn.source && e.target === conn.target)) return c;
        const when = defaultWhen(toDesign(c), conn.source);
        return { ...c, edges: addEdge(flowEdge(conn.source, conn.target, when), c.edges) };
      }),
    [change],
  );
  // Drag start records the pre-drag state, so one undo puts a moved node back.
  const onNodeDragStart = useCallback(() => setHist((h) => ({ ...h, past: [...h.past, h.present] })), []);

  const addNode = useCallback(
    (kind: NodeKind, position?: { x: number; y: number }) =>
      change((c) => {
        const id = nextNodeId(kind, c.nodes);
        const config = defaultConfig(kind);
        const at = position ?? { x: 80 + (c.nodes.length % 4) * 220, y: 80 + Math.floor(c.nodes.length / 4) * 140 };
        return { ...c, nodes: [...c.nodes, { id, type: 'flow', position: at, data: { kind, ...(config ? { config } : {}) } }] };
      }),
    [change],
  );
  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const kind = e.dataTransfer.getData(DND_TYPE);
      if (!isNodeKind(kind)) return;
      addNode(kind, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [addNode, flow],
  );

  const deleteSelected = (): void => {
    if (selected.node) {
      const id = selected.node;
      change((c) => ({
        nodes: c.nodes.filter((n) => n.id !== id),
        edges: c.edges.filter((e) => e.source !== id && e.target !== id),
      }));
    } else if (selected.edge) {
      const id = selected.edge;
      change((c) => ({ ...c, edges: c.edges.filter((e) => e.id !== id) }));
    }
    setSelected({});
  };
  const doUndo = (): void => {
    setHist(undo);
    setDirty(true);
  };
  const doRedo = (): void => {
    setHist(redo);
    setDirty(true);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select')) return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) doRedo();
        else doUndo();
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        doRedo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const save = async (): Promise<void> => {
    setMessage(undefined);
    const graph = toApiGraph(toDesign(canvas, inputSchema));
    try {
      const res = workflowId
        ? unwrap(await api.PUT('/api/v1/workflows/{id}', { params: { path: { id: workflowId } }, body: { name, graph } }))
        : unwrap(await api.POST('/api/v1/workflows', { body: { name, graph } }));
      const saved = res as { id: string; version: number };
      setIssues(undefined);
      setDirty(false);
      setVersion(saved.version);
      if (!workflowId) {
        setWorkflowId(saved.id);
        window.history.replaceState(null, '', `/workflows/${saved.id}`);
      }
      setMessage({ kind: 'ok', text: t('designer.saved', { version: saved.version }) });
    } catch (e) {
      if (e instanceof ApiError) {
        setIssues(e.problem.errors ?? []);
        setMessage({ kind: 'error', text: e.problem.detail });
      } else setMessage({ kind: 'error', text: String(e) });
    }
  };

  const run = async (): Promise<void> => {
    if (!workflowId) return;
    try {
      const res = unwrap(
        await api.POST('/api/v1/workflows/{id}/executions', { params: { path: { id: workflowId } }, body: { input: runInput } }),
      );
      navigate(`/executions/${(res as { executionId: string }).executionId}`);
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof ApiError ? e.problem.detail : String(e) });
    }
  };

  const byTarget = useMemo(() => issuesByTarget(issues), [issues]);
  const shownNodes = useMemo(
    () =>
      canvas.nodes.map((n) => ({
        ...n,
        selected: n.id === selected.node,
        data: { ...n.data, issues: byTarget.nodes.get(n.id) },
      })),
    [canvas.nodes, byTarget, selected.node],
  );
  const shownEdges = useMemo(
    () =>
      canvas.edges.map((e) => {
        const problems = byTarget.edges.get(e.id);
        return {
          ...e,
          selected: e.id === selected.edge,
          ...(problems
            ? {
                className: 'invalid',
                label: `${(e.data as { when?: string } | undefined)?.when ?? ''} ⚠ ${problems.join('; ')}`.trim(),
              }
            : {}),
        };
      }),
    [canvas.edges, byTarget, selected.edge],
  );
  const node = canvas.nodes.find((n) => n.id === selected.node);
  const edge = canvas.edges.find((e) => e.id === selected.edge);
  const sourceKind = edge && canvas.nodes.find((n) => n.id === edge.source)?.data.kind;
  const edgeFromCondition = sourceKind !== undefined && BRANCHING_KINDS.has(sourceKind);

  if (loading) return <p>{t('common.loading')}</p>;
  return (
    <div className="designer">
      {editable && (
        <aside className="palette" aria-labelledby="palette-title">
          <h2 id="palette-title">{t('designer.palette')}</h2>
          <p className="hint">{t('designer.paletteHint')}</p>
          <ul>
            {NODE_KINDS.map((kind) => (
              <li key={kind}>
                <button
                  type="button"
                  draggable
                  data-testid={`palette-${kind}`}
                  className={`palette-item kind-${kind}`}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DND_TYPE, kind);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onClick={() => addNode(kind)}
                >
                  {t(`nodeKind.${kind}`)}
                </button>
              </li>
            ))}
          </ul>
        </aside>
      )}
      <section className="canvas-column" aria-label={t('designer.canvas')}>
        <div className="toolbar" role="toolbar" aria-label={t('designer.toolbar')}>
          <label className="wf-name">
            <span className="sr-only">{t('designer.name')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} aria-label={t('designer.name')} />
          </label>
          {version !== undefined && <span className="badge">{t('designer.version', { version })}</span>}
          {editable && (
            <>
              <button type="button" onClick={doUndo} disabled={hist.past.length === 0}>
                {t('designer.undo')}
              </button>
              <button type="button" onClick={doRedo} disabled={hist.future.length === 0}>
                {t('designer.redo')}
              </button>
              <button type="button" onClick={deleteSelected} disabled={!selected.node && !selected.edge}>
                {t('designer.delete')}
              </button>
              <button type="button" className="primary" onClick={() => void save()}>
                {t('designer.save')}
              </button>
              <button type="button" onClick={() => setShowRun((s) => !s)} disabled={!workflowId || dirty}>
                {t('designer.run')}
              </button>
            </>
          )}
          {workflowId && (
            <button type="button" onClick={() => navigate(`/workflows/${workflowId}/executions`)}>
              {t('designer.history')}
            </button>
          )}
          {message && (
            <span role="status" className={message.kind === 'error' ? 'error' : 'ok'} data-testid="designer-message">
              {message.text}
            </span>
          )}
        </div>
        {byTarget.graph.length > 0 && (
          <ul className="graph-issues" role="alert">
            {byTarget.graph.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        )}
        {showRun && (
          <div className="run-panel">
            <JsonField label={t('designer.runInput')} hint={t('designer.runInputHint')} value={runInput} onChange={setRunInput} />
            <button type="button" className="primary" data-testid="start-run" onClick={() => void run()}>
              {t('designer.startRun')}
            </button>
          </div>
        )}
        <div className="canvas" data-testid="canvas" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
          <ReactFlow
            nodes={shownNodes}
            edges={shownEdges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onNodeDragStart={onNodeDragStart}
            onPaneClick={() => setSelected({})}
            deleteKeyCode={['Delete', 'Backspace']}
            // A loaded graph is fitted once; a new one keeps the identity viewport so drops land where dropped.
            fitView={Boolean(initialId)}
            fitViewOptions={{ maxZoom: 1, minZoom: 0.1 }}
            minZoom={0.1}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls />
          </ReactFlow>
        </div>
      </section>
      <aside className="inspector" aria-labelledby="inspector-title">
        <h2 id="inspector-title">
          {node ? t('designer.nodeTitle', { id: node.id }) : edge ? t('designer.edgeTitle') : t('designer.workflow')}
        </h2>
        {node ? (
          <ConfigForm
            nodeId={node.id}
            kind={node.data.kind}
            label={node.data.label}
            config={node.data.config}
            onChange={(patch) =>
              change((c) => ({
                ...c,
                nodes: c.nodes.map((n) => (n.id === node.id ? { ...n, data: { ...n.data, ...patch } } : n)),
              }))
            }
          />
        ) : edge ? (
          <form className="config-form" onSubmit={(e) => e.preventDefault()}>
            <p>{t('designer.edgeFromTo', { from: edge.source, to: edge.target })}</p>
            {edgeFromCondition && (
              <label>
                {t('designer.when')}
                <input
                  type="text"
                  value={(edge.data as { when?: string } | undefined)?.when ?? ''}
                  onChange={(e) => {
                    const when = e.target.value;
                    change((c) => ({
                      ...c,
                      edges: c.edges.map((x) =>
                        x.id === edge.id ? { ...flowEdge(x.source, x.target, when || undefined), selected: true } : x,
                      ),
                    }));
                  }}
                />
                <small>{t('designer.whenHint')}</small>
              </label>
            )}
          </form>
        ) : (
          <form className="config-form" onSubmit={(e) => e.preventDefault()}>
            <JsonField
              label={t('designer.inputSchema')}
              hint={t('designer.inputSchemaHint')}
              value={inputSchema}
              onChange={(v) => {
                setInputSchema(v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);
                setDirty(true);
              }}
            />
          </form>
        )}
      </aside>
    </div>
  );
}
