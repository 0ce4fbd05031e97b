/**
 * `@flowstack/workflow`: the pure rules of workflow graphs, shared by the registry (validates
 * graphs on save), the orchestrator (evaluates transform, condition and output nodes inline) and
 * the tool-runner (renders http tool templates). No I/O.
 */
export { validateGraph, type ValidateGraphOptions } from './graph/graph.validator';
export { ROUTING_NODE_TYPES } from './graph/graph-edges.rules';
export { HTTP_METHODS, INLINE_TOOL_KINDS, MAX_HTTP_TIMEOUT_MS } from './graph/tool-config.rules';
export { ExpressionError, type ExpressionErrorCode } from './expression/expression.error';
export { DEFAULT_MAX_DEPTH, DEFAULT_TIMEOUT_MS, type EvaluationLimits } from './expression/expression.guard';
export {
  clearExpressionCache,
  compileExpression,
  EXPRESSION_CACHE_CAPACITY,
  type CompiledExpression,
} from './expression/expression.compiler';
export { evaluateCompiled, evaluateExpression, type ExpressionScope } from './expression/expression.evaluator';
export { toPlainJson } from './expression/json.normalizer';
export { LruCache } from './expression/lru.cache';
export { classifyExpression } from './expression/expression.classifier';
export {
  closeExpressionSandbox,
  configureExpressionSandbox,
  type ExpressionSandboxOptions,
} from './expression/expression.sandbox';
export {
  DEFAULT_POOL_WORKERS,
  DEFAULT_WORKER_HEAP_MB,
  ExpressionWorkerPool,
  type ExpressionPoolOptions,
  type WorkerEvaluation,
} from './expression/expression-worker.pool';
export { parseTemplate, type TemplatePart } from './template/template.parser';
export {
  compileTemplate,
  findTemplateErrors,
  type CompiledTemplate,
  type CompiledTemplatePart,
} from './template/template.compiler';
export { renderTemplate, stringifyForText } from './template/template.renderer';
export {
  createSchemaAjv,
  findPatternErrors,
  re2RegExp,
  schemaDialect,
  type SchemaAjv,
  type SchemaDialect,
} from './graph/json-schema.engine';
export { conditionRoute } from './condition/condition.route';
export { childPath, pointerToPath } from './field-path';
export { findJsonSchemaErrors } from './graph/json-schema.rules';
