import type { EvaluationScope, GraphNode, NodeError } from '@flowstack/contracts';
import { ExpressionError, evaluateExpression, renderTemplate } from '@flowstack/workflow';

export type InlineOutcome = { ok: true; output: unknown } | { ok: false; error: NodeError };

/**
 * Evaluates the nodes the orchestrator runs itself (no I/O, bounded in time): `input` passes the
 * execution input on, `transform` and `condition` evaluate their JSONata expression, `output`
 * renders its value template. Expression failures become node failures, not exceptions.
 */
export async function evaluateInlineNode(node: GraphNode, scope: EvaluationScope): Promise<InlineOutcome> {
  const config = node.config ?? {};
  try {
    switch (node.type) {
      case 'input':
        return { ok: true, output: scope.input };
      case 'transform':
      case 'condition':
        return { ok: true, output: await evaluateExpression(String(config.expression), scope) };
      case 'output':
        return { ok: true, output: await renderTemplate(config.value, scope) };
      default:
        return { ok: false, error: { code: 'unsupported_node_type', message: `"${node.type}" cannot run inline` } };
    }
  } catch (e) {
    if (e instanceof ExpressionError) return { ok: false, error: { code: e.code, message: e.message } };
    throw e;
  }
}
