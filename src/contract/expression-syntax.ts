/**
 * The expression language's syntax: text parsed by jsep (which builds a syntax tree and never evaluates text), and
 * where each node's token starts in the text.
 *
 * Positions: jsep's nodes carry no position, so the tree is walked in source order and each token is found in the
 * text from where the previous one ended (locate below); errors name the 0-based character of the offending token.
 */
import jsep from 'jsep';
import { ExpressionError } from './expression-types';

// The plugin's typings declare an ES module, which a CommonJS module (jsii's output) cannot import; its package ships a
// CommonJS build as `main`, which require loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const template = require('@jsep-plugin/template') as jsep.IPlugin;
jsep.plugins.register(template);

/** Parses an expression; syntax errors carry jsep's character index. */
export function parse(text: string): { tree: jsep.Expression; at: Map<jsep.Expression, number> } {
  let tree: jsep.Expression;
  try {
    tree = jsep(text);
  } catch (e) {
    const error = e as Error & { index?: number; description?: string };
    throw new ExpressionError(error.index ?? 0, `${error.description ?? error.message} (the grammar is in the README, "Derived columns")`);
  }
  return { tree, at: locate(text, tree) };
}

/**
 * Where each node's token starts in `text`: the tree walked in source order, each token searched from where the last
 * one ended (a binary or unary node is placed at its operator, a call at its name, `?:` at its `?`).
 */
function locate(text: string, tree: jsep.Expression): Map<jsep.Expression, number> {
  const at = new Map<jsep.Expression, number>();
  let cursor = 0;
  const find = (token: string): number => {
    const found = text.indexOf(token, cursor);
    const start = found < 0 ? cursor : found;
    cursor = start + token.length;
    return start;
  };
  const visit = (node: jsep.Expression): void => {
    switch (node.type) {
      case 'Identifier':
        at.set(node, find(node.name as string));
        return;
      case 'Literal':
        at.set(node, find(node.raw as string));
        return;
      case 'BinaryExpression':
        visit(node.left as jsep.Expression);
        at.set(node, find(node.operator as string));
        visit(node.right as jsep.Expression);
        return;
      case 'UnaryExpression':
        at.set(node, find(node.operator as string));
        visit(node.argument as jsep.Expression);
        return;
      case 'CallExpression':
        visit(node.callee as jsep.Expression);
        at.set(node, at.get(node.callee as jsep.Expression)!);
        (node.arguments as jsep.Expression[]).forEach(visit);
        return;
      case 'ConditionalExpression':
        visit(node.test as jsep.Expression);
        at.set(node, find('?'));
        visit(node.consequent as jsep.Expression);
        visit(node.alternate as jsep.Expression);
        return;
      case 'TemplateLiteral': {
        at.set(node, find('`'));
        const quasis = node.quasis as Array<{ value: { raw: string } }>;
        const expressions = node.expressions as jsep.Expression[];
        quasis.forEach((quasi, i) => {
          find(quasi.value.raw);
          if (i < expressions.length) visit(expressions[i]);
        });
        find('`');
        return;
      }
      default:
        at.set(node, cursor);
    }
  };
  visit(tree);
  return at;
}
