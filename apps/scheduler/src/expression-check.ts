import { FlowstackError } from '@flowstack/contracts';
import { compileExpression, ExpressionError } from '@flowstack/workflow';

/** Refuses a JSONata expression that does not compile, naming the field (400 `validation_failed`). */
export function assertExpression(path: string, source: string | null | undefined): void {
  if (source === null || source === undefined) return;
  try {
    compileExpression(source);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    throw new FlowstackError('validation_failed', `request is invalid: ${path} is not a JSONata expression`, [
      { path, message: e.message, rule: 'expression_syntax' },
    ]);
  }
}
