import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { NodeStatus } from '../monitor/live-state';
import type { DiffMark } from './graph-diff';
import type { NodeKind } from './node-kinds';

export interface FlowNodeData extends Record<string, unknown> {
  kind: NodeKind;
  label?: string;
  config?: Record<string, unknown>;
  /** The server's validation messages naming this node. */
  issues?: string[];
  /** In the monitor: the node's live status and duration. */
  status?: NodeStatus;
  durationMs?: number;
  /** In a version comparison: how this node differs between the two versions. */
  diff?: DiffMark;
}
export type FlowNodeType = Node<FlowNodeData, 'flow'>;

/** One node on the canvas: its type, id, and either its issues (designer) or its status (monitor). */
export function FlowNode({ id, data, selected }: NodeProps<FlowNodeType>) {
  const { t } = useTranslation();
  const invalid = (data.issues?.length ?? 0) > 0;
  const classes = [
    'flow-node',
    `kind-${data.kind}`,
    data.status ? `status-${data.status}` : '',
    invalid ? 'invalid' : '',
    selected ? 'selected' : '',
    data.diff ? `diff-${data.diff}` : '',
  ];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-testid={`node-${id}`}
      data-status={data.status ?? ''}
      data-invalid={invalid || undefined}
      data-diff={data.diff}
    >
      {data.kind !== 'input' && <Handle type="target" position={Position.Left} />}
      <div className="flow-node-kind">{t(`nodeKind.${data.kind}`)}</div>
      <div className="flow-node-id">{data.label || id}</div>
      {data.diff && <div className="flow-node-diff">{t(`versions.mark.${data.diff}`)}</div>}
      {data.status && (
        <div className="flow-node-status">
          {t(`status.${data.status}`)}
          {data.durationMs !== undefined && ` · ${t('monitor.ms', { ms: data.durationMs })}`}
        </div>
      )}
      {invalid && (
        <ul className="flow-node-issues" data-testid={`issues-${id}`}>
          {data.issues!.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
      {data.kind !== 'output' && <Handle type="source" position={Position.Right} />}
    </div>
  );
}

export const nodeTypes = { flow: FlowNode };
