import type { FieldError, GraphNode } from '@flowstack/contracts';
import { findTemplateErrors } from '../template/template.compiler';

/**
 * Builds the `invalid_node_config` errors of one node: `at` is relative to the node
 * (`config.tool.url`); the error's path is absolute (`nodes[3].config.tool.url`) and its message
 * names the node.
 */
export interface NodeIssues {
  add(at: string, problem: string): void;
  /** Adds every template under `config.<at>` that does not compile. */
  addTemplateErrors(value: unknown, at: string): void;
  readonly errors: FieldError[];
}

export function nodeIssues(node: GraphNode, index: number): NodeIssues {
  const errors: FieldError[] = [];
  const describe = `${node.type} node "${node.id}"`;
  const add = (at: string, problem: string): void => {
    errors.push({
      path: `nodes[${index}].${at}`,
      rule: 'invalid_node_config',
      nodeId: node.id,
      message: `${describe}: ${problem}`,
    });
  };
  return {
    errors,
    add,
    addTemplateErrors(value, at) {
      for (const error of findTemplateErrors(value, at)) add(error.path, `template at ${error.path}: ${error.message}`);
    },
  };
}
