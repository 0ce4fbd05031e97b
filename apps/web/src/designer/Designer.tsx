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
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useWorkspace } from '../auth/workspace';
import { api, ApiError, unwrap, type ProblemIssue } from '../api/client';
import { navigate } from '../app/router';
import { ConfigForm } from './ConfigForm';
import { JsonField } from './JsonField';
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
import { copySelection, pasteClip, type Clip } from './clipboard';
import { diffGraphs, unionGraph, type GraphDiff } from './graph-diff';
import { commit, historyOf, redo, undo, type History } from './history';
import { layoutLeftToRight } from './layout';
import { BRANCHING_KINDS, defaultConfig, GATE_DECISIONS, isNodeKind, NODE_KINDS, type NodeKind } from './node-kinds';
import { VersionPanel } from './VersionPanel';

interface Canvas {
  nodes: FlowNodeType[];
  edges: Edge[];
}

const DND_TYPE = 'application/x-flowstack-node';

/** The designer's clipboard: kept across workflows while the app is open (copy in one, paste in another). */
let clipboard: Clip | undefined;

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

const countMarks = (d: GraphDiff, mark: string): number =>
  [...d.nodes.values(), ...d.edges.values()].filter((m) => m === mark).length;

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
  const [hist, setHist] = useState<History<Canvas> & { batch?: number }>(() => historyOf({ nodes: [], edges: [] }));
  // Several nodes can be selected (shift-drag a box, or Ctrl/Cmd-click); one edge at a time.
  const [selectedNodes, setSelectedNodes] = useState<ReadonlySet<string>>(() => new Set());
  const [selectedEdge, setSelectedEdge] = useState<string>();
  const [pastes, setPastes] = useState(0);
  const [showVersions, setShowVersions] = useState(false);
  const [versionsRefresh, setVersionsRefresh] = useState(0);
  // A comparison of two saved versions drawn on the canvas (read-only) instead of the edited graph.
  const [comparison, setComparison] = useState<{ from: number; to: number; canvas: Canvas; diff: GraphDiff }>();
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

  // Changes recorded in the same task are one undo step: deleting a node makes React Flow report the
  // removal of its edges and of the node separately, and one Ctrl+Z must bring all of them back.
  const batch = useRef({ token: 0, open: false });
  const change = useCallback((next: (c: Canvas) => Canvas, record = true) => {
    if (record && !batch.current.open) {
      batch.current = { token: batch.current.token + 1, open: true };
      setTimeout(() => (batch.current.open = false), 0);
    }
    const token = batch.current.token;
    setHist((h) => {
      const n = next(h.present);
      if (!record) return { ...h, present: n };
      if (n === h.present) return h;
      if (h.batch === token) return { ...h, present: n };
      return { ...commit(h, n), batch: token };
    });
    if (record) setDirty(true);
  }, []);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNodeType>[]) => {
      const picks = changes.filter((c) => c.type === 'select' || c.type === 'remove');
      if (picks.length) {
        setSelectedNodes((prev) => {
          const next = new Set(prev);
          for (const c of picks) {
            if (c.type === 'select' && c.selected) next.add(c.id);
            else next.delete(c.id);
          }
          return next;
        });
        if (picks.some((c) => c.type === 'select' && c.selected)) setSelectedEdge(undefined);
      }
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
      for (const c of changes) {
        if (c.type === 'select' && c.selected) {
          setSelectedEdge(c.id);
          setSelectedNodes(new Set());
        } else if ((c.type === 'select' || c.type === 'remove') && c.id === selectedEdge) setSelectedEdge(undefined);
      }
      change(
        (c) => {
          // Deleting a node removes its edges in the same step; React Flow's own removal of those
          // edges that follows must not become a second undo step.
          const present = new Set(c.edges.map((e) => e.id));
          const relevant = changes.filter((x) => x.type !== 'remove' || present.has(x.id));
          return relevant.length ? { ...c, edges: applyEdgeChanges(relevant, c.edges) } : c;
        },
        changes.some((c) => c.type === 'remove'),
      );
    },
    [change, selectedEdge],
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
    if (selectedNodes.size) {
      const ids = selectedNodes;
      change((c) => ({
        nodes: c.nodes.filter((n) => !ids.has(n.id)),
        edges: c.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)),
      }));
    } else if (selectedEdge) {
      const id = selectedEdge;
      change((c) => ({ ...c, edges: c.edges.filter((e) => e.id !== id) }));
    }
    setSelectedNodes(new Set());
    setSelectedEdge(undefined);
  };
  const copy = (): void => {
    if (!selectedNodes.size) return;
    const d = toDesign(canvas);
    clipboard = copySelection(d.nodes, d.edges, selectedNodes);
    setPastes(0);
    setMessage({ kind: 'ok', text: t('designer.copied', { count: clipboard.nodes.length }) });
  };
  const paste = (): void => {
    const clip = clipboard;
    if (!clip?.nodes.length) return;
    // Each paste of the same clip lands a step further, so repeated pastes do not stack up.
    const step = 40 * (pastes + 1);
    const pasted = pasteClip(clip, canvas.nodes, { x: step, y: step });
    const flowPart = toFlow({ nodes: pasted.nodes, edges: pasted.edges });
    change((c) => ({
      nodes: [...c.nodes, ...flowPart.nodes],
      edges: [...c.edges, ...flowPart.edges],
    }));
    setPastes((n) => n + 1);
    setSelectedNodes(new Set(pasted.nodes.map((n) => n.id)));
    setSelectedEdge(undefined);
    setMessage({ kind: 'ok', text: t('designer.pasted', { count: pasted.nodes.length }) });
  };
  const autoLayout = (): void => {
    change((c) => {
      const at = layoutLeftToRight(c.nodes, c.edges);
      return { ...c, nodes: c.nodes.map((n) => ({ ...n, position: at.get(n.id) ?? n.position })) };
    });
    // Fit once React Flow has the new positions.
    requestAnimationFrame(() => void flow.fitView({ maxZoom: 1, minZoom: 0.1 }));
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
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      // Save works from anywhere, form fields included (and keeps the browser's Save page dialog away).
      if (mod && key === 's') {
        e.preventDefault();
        if (editable && !comparison) void save();
        return;
      }
      if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (!editable || comparison) return;
      if (mod && key === 'c') {
        if (selectedNodes.size) {
          e.preventDefault();
          copy();
        }
      } else if (mod && key === 'v') {
        e.preventDefault();
        paste();
      } else if (mod && key === 'a') {
        e.preventDefault();
        setSelectedNodes(new Set(canvas.nodes.map((n) => n.id)));
        setSelectedEdge(undefined);
      } else if (mod && key === 'z') {
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
      setVersionsRefresh((n) => n + 1);
      setMessage({ kind: 'ok', text: t('designer.saved', { version: saved.version }) });
    } catch (e) {
      if (e instanceof ApiError) {
        setIssues(e.problem.errors ?? []);
        setMessage({ kind: 'error', text: e.problem.detail });
      } else setMessage({ kind: 'error', text: String(e) });
    }
  };

  const versionGraph = async (id: string, v: number): Promise<ApiGraph> =>
    (
      unwrap(await api.GET('/api/v1/workflows/{id}/versions/{version}', { params: { path: { id, version: String(v) } } })) as {
        graph: ApiGraph;
      }
    ).graph;
  const compareVersions = async (from: number, to: number): Promise<void> => {
    if (!workflowId) return;
    try {
      const [before, after] = await Promise.all([versionGraph(workflowId, from), versionGraph(workflowId, to)]);
      const diff = diffGraphs(before, after);
      const drawn = toFlow(fromApiGraph(unionGraph(before, after)));
      setComparison({
        from,
        to,
        diff,
        canvas: {
          nodes: drawn.nodes.map((n) => {
            const mark = diff.nodes.get(n.id);
            return mark ? { ...n, data: { ...n.data, diff: mark } } : n;
          }),
          edges: drawn.edges.map((e) => {
            const mark = diff.edges.get(e.id);
            return mark ? { ...e, className: `diff-${mark}`, data: { ...e.data, diff: mark } } : e;
          }),
        },
      });
      requestAnimationFrame(() => void flow.fitView({ maxZoom: 1, minZoom: 0.1 }));
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof ApiError ? e.problem.detail : String(e) });
    }
  };
  /** Restore = the old version's graph saved again as the newest version (history stays append-only). */
  const restoreVersion = async (v: number): Promise<void> => {
    if (!workflowId) return;
    if (dirty && !window.confirm(t('versions.discardChanges'))) return;
    const graph = await versionGraph(workflowId, v);
    const saved = unwrap(
      await api.PUT('/api/v1/workflows/{id}', { params: { path: { id: workflowId } }, body: { name, graph } }),
    ) as { version: number };
    setComparison(undefined);
    setHist(historyOf(toFlow(fromApiGraph(graph))));
    setInputSchema(graph.input_schema);
    setVersion(saved.version);
    setDirty(false);
    setIssues(undefined);
    setSelectedNodes(new Set());
    setSelectedEdge(undefined);
    setVersionsRefresh((n) => n + 1);
    setMessage({ kind: 'ok', text: t('versions.restored', { version: v, saved: saved.version }) });
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
        selected: selectedNodes.has(n.id),
        data: { ...n.data, issues: byTarget.nodes.get(n.id) },
      })),
    [canvas.nodes, byTarget, selectedNodes],
  );
  const shownEdges = useMemo(
    () =>
      canvas.edges.map((e) => {
        const problems = byTarget.edges.get(e.id);
        return {
          ...e,
          selected: e.id === selectedEdge,
          ...(problems
            ? {
                className: 'invalid',
                label: `${(e.data as { when?: string } | undefined)?.when ?? ''} ⚠ ${problems.join('; ')}`.trim(),
              }
            : {}),
        };
      }),
    [canvas.edges, byTarget, selectedEdge],
  );
  // The inspector shows a node when exactly one is selected.
  const onlyNode = selectedNodes.size === 1 ? [...selectedNodes][0] : undefined;
  const node = canvas.nodes.find((n) => n.id === onlyNode);
  const edge = canvas.edges.find((e) => e.id === selectedEdge);
  const sourceKind = edge && canvas.nodes.find((n) => n.id === edge.source)?.data.kind;
  const edgeFromCondition = sourceKind !== undefined && BRANCHING_KINDS.has(sourceKind);
  const currentWhen = (edge?.data as { when?: string } | undefined)?.when;
  const setWhen = (when: string): void => {
    if (!edge) return;
    change((c) => ({
      ...c,
      edges: c.edges.map((x) => (x.id === edge.id ? { ...flowEdge(x.source, x.target, when || undefined), selected: true } : x)),
    }));
  };

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
              <button type="button" onClick={doUndo} disabled={hist.past.length === 0} title={t('designer.undoKeys')}>
                {t('designer.undo')}
              </button>
              <button type="button" onClick={doRedo} disabled={hist.future.length === 0} title={t('designer.redoKeys')}>
                {t('designer.redo')}
              </button>
              <button
                type="button"
                onClick={deleteSelected}
                disabled={!selectedNodes.size && !selectedEdge}
                title={t('designer.deleteKeys')}
              >
                {t('designer.delete')}
              </button>
              <button type="button" onClick={copy} disabled={!selectedNodes.size} title={t('designer.copyKeys')}>
                {t('designer.copy')}
              </button>
              <button type="button" onClick={paste} disabled={Boolean(comparison)} title={t('designer.pasteKeys')}>
                {t('designer.paste')}
              </button>
              <button
                type="button"
                onClick={autoLayout}
                disabled={!canvas.nodes.length || Boolean(comparison)}
                data-testid="auto-layout"
              >
                {t('designer.autoLayout')}
              </button>
              <button type="button" className="primary" onClick={() => void save()} title={t('designer.saveKeys')}>
                {t('designer.save')}
              </button>
              <button type="button" onClick={() => setShowRun((s) => !s)} disabled={!workflowId || dirty}>
                {t('designer.run')}
              </button>
            </>
          )}
          {workflowId && (
            <button type="button" aria-pressed={showVersions} onClick={() => setShowVersions((s) => !s)}>
              {t('versions.button')}
            </button>
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
        {showVersions && workflowId && (
          <VersionPanel
            workflowId={workflowId}
            current={version}
            editable={editable}
            refresh={versionsRefresh}
            onCompare={(a, b) => void compareVersions(a, b)}
            onRestore={restoreVersion}
          />
        )}
        {comparison && (
          <div className="diff-banner" role="status" data-testid="diff-banner">
            <strong>{t('versions.comparing', { from: comparison.from, to: comparison.to })}</strong>
            <span className="diff-legend">
              <span>{t('versions.countAdded', { count: countMarks(comparison.diff, 'added') })}</span>
              <span>{t('versions.countRemoved', { count: countMarks(comparison.diff, 'removed') })}</span>
              <span>{t('versions.countChanged', { count: countMarks(comparison.diff, 'changed') })}</span>
              {comparison.diff.graphChanged && <span>{t('versions.graphChanged')}</span>}
            </span>
            <button type="button" onClick={() => setComparison(undefined)}>
              {t('versions.closeComparison')}
            </button>
          </div>
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
            nodes={comparison ? comparison.canvas.nodes : shownNodes}
            edges={comparison ? comparison.canvas.edges : shownEdges}
            nodeTypes={nodeTypes}
            {...(comparison
              ? { nodesDraggable: false, nodesConnectable: false, elementsSelectable: false }
              : { onNodesChange, onEdgesChange, onConnect, onNodeDragStart })}
            onPaneClick={() => {
              setSelectedNodes(new Set());
              setSelectedEdge(undefined);
            }}
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
                {sourceKind === 'human_gate' ? (
                  // A gate's edges are taken by its decision: only these two labels can ever be taken.
                  <select value={currentWhen ?? ''} onChange={(e) => setWhen(e.target.value)} data-testid="edge-when">
                    <option value="">{t('field.choose')}</option>
                    {GATE_DECISIONS.map((d) => (
                      <option key={d} value={d}>
                        {t(`gate.${d}`)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    type="text"
                    value={currentWhen ?? ''}
                    onChange={(e) => setWhen(e.target.value)}
                    data-testid="edge-when"
                  />
                )}
                <small>{sourceKind === 'human_gate' ? t('designer.gateWhenHint') : t('designer.whenHint')}</small>
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
