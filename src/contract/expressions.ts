/**
 * The expression language of derived columns: parsed by jsep (which builds a syntax tree and never evaluates text),
 * then type-checked here into a typed tree whose every node carries its type, its bounds and whether it can be null.
 * The construct checks at synth time and the handler again at run time, with this one code; the engine compiles the
 * typed tree to closures once per invocation (lambda/engine/derived.ts).
 *
 * Numbers: whole numbers and decimals are exact — a value is a whole number of units of 10^-scale ("unscaled") held in
 * a double, exact while it stays within ±(2^53 − 1), which interval arithmetic over the operands' bounds proves at
 * synth for every node (a result that might leave that range is refused), so no BigInt is needed per cell. `/` gives a
 * double unless wrapped in `round(x, digits)`.
 *
 * Positions: jsep's nodes carry no position, so the tree is walked in source order and each token is found in the
 * text from where the previous one ended (locate below); errors name the 0-based character of the offending token.
 */
import jsep from 'jsep';
import { roundDoubleToUnscaled } from './double-rounding';
import { DERIVED_BUDGET, derivedCost } from './expression-budget';
import { FAKER_METHOD_TYPES } from './faker-methods';
import type { LogicalType } from './logical-types';
import { ownValue } from './own-keys';
import {
  decimalSteps, InvalidInputError, MAX_ROWS_CEILING, oneLine, unwritableText,
  type ColumnDocument, type ReferenceColumnDocument,
} from './schema-document';

// The plugin's typings declare an ES module, which a CommonJS module (jsii's output) cannot import; its package ships a
// CommonJS build as `main`, which require loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const template = require('@jsep-plugin/template') as jsep.IPlugin;
jsep.plugins.register(template);

/** The type of an expression node, with what interval arithmetic knows of its values. */
export type ExpressionType =
  /** A whole number (`integer`) or a decimal: unscaled values (value × 10^scale) from min to max. */
  | { readonly kind: 'exact'; readonly scale: number; readonly integer: boolean; readonly min: number; readonly max: number }
  | { readonly kind: 'double'; readonly min: number; readonly max: number }
  /** Epoch milliseconds, UTC. */
  | { readonly kind: 'timestamp'; readonly min: number; readonly max: number }
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  /** The literal `null`, before it takes the type of what it stands beside. */
  | { readonly kind: 'null' };

export type ExpressionOp =
  | 'column' | 'literal' | 'neg' | 'add' | 'sub' | 'mul' | 'div' | 'rescale' | 'toDouble' | 'roundExact' | 'roundDouble'
  | 'compare' | 'and' | 'or' | 'not' | 'if' | 'case' | 'coalesce' | 'isNull'
  | 'concat' | 'lower' | 'upper' | 'substring' | 'length' | 'string'
  | 'addTime' | 'diffDays' | 'datePart';

/** A node of a type-checked expression. */
export interface TypedExpression {
  readonly op: ExpressionOp;
  readonly type: ExpressionType;
  /** Whether the node can be null (a nullable operand, a null literal, a division by zero). */
  readonly nullable: boolean;
  /** The 0-based character of the node's token in the expression. */
  readonly at: number;
  readonly args: readonly TypedExpression[];
  /** `column`: the source column's position in the table. */
  readonly column?: number;
  /** `literal`: the value (an exact number unscaled); null for `null`. */
  readonly value?: number | string | boolean | null;
  /** `rescale`, `toDouble`, `roundExact`, `roundDouble`: the power of ten; `addTime`: milliseconds per unit. */
  readonly factor?: number;
  /** `compare`: the operator; `datePart`: the part; `column`: the column's name. */
  readonly name?: string;
}

export const EXPRESSION_LIMITS = {
  /** The most characters of an expression (the schema travels in Lambda's 4 KB environment). */
  maxLength: 1000,
  /** The most fraction digits of a decimal result (round's digits, a literal's). */
  maxScale: 15,
} as const;

/** The largest unscaled value that a double holds exactly, with every smaller one. */
const MAX_EXACT = Number.MAX_SAFE_INTEGER;
/**
 * The most fraction digits of any exact result, a product's included: what every format writes (Parquet's decimals
 * are at most 18 digits of precision, and the precision is never below the scale).
 */
export const MAX_DECIMAL_SCALE = 18;
/** The instants every format writes: years 0000 to 9999. A date function's result outside them is null. */
export const TIMESTAMP_RANGE = { min: -62167219200000, max: 253402300799999 } as const;
const DAY_MS = 86_400_000;
// Maps, not object literals: a name from the expression must not find an inherited member (own-keys.ts).
const TIME_UNITS: ReadonlyMap<string, number> = new Map([['addDays', DAY_MS], ['addHours', 3_600_000], ['addMinutes', 60_000], ['addSeconds', 1000]]);
const DATE_PARTS: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['year', [0, 9999]], ['month', [1, 12]], ['day', [1, 31]], ['hour', [0, 23]], ['dayOfWeek', [1, 7]],
]);
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const ARITHMETIC: ReadonlyMap<string, ExpressionOp> = new Map([['+', 'add'], ['-', 'sub'], ['*', 'mul'], ['/', 'div']]);

/** The functions, as the error for an unknown one lists them. */
export const EXPRESSION_FUNCTIONS = [
  'if', 'case', 'coalesce', 'isNull', 'round', 'concat', 'lower', 'upper', 'substring', 'length', 'string',
  'addDays', 'addHours', 'addMinutes', 'addSeconds', 'diffDays', 'year', 'month', 'day', 'hour', 'dayOfWeek',
] as const;

/** An error in an expression, at a character of it; the caller says which table and column. */
export class ExpressionError extends Error {
  constructor(readonly at: number, readonly detail: string) {
    super(`at character ${at}: ${detail}`);
    this.name = 'ExpressionError';
  }
}

const STRING: ExpressionType = { kind: 'string' };
const BOOLEAN: ExpressionType = { kind: 'boolean' };
const UNBOUNDED_DOUBLE: ExpressionType = { kind: 'double', min: -Infinity, max: Infinity };

/** The name of a type in messages: `bigint`, `decimal(5,2)`, `double`, ... */
export function typeName(type: ExpressionType): string {
  if (type.kind !== 'exact') return type.kind;
  return type.integer ? 'bigint' : `decimal(${precisionOf(type)},${type.scale})`;
}

function digitsOf(value: number): number {
  return String(Math.abs(value)).length;
}

function precisionOf(type: { readonly scale: number; readonly min: number; readonly max: number }): number {
  return Math.max(1, type.scale, digitsOf(type.min), digitsOf(type.max));
}

/** The logical type of an expression's result, as every format and the catalog declare it. */
export function logicalTypeOfExpression(type: ExpressionType): LogicalType {
  switch (type.kind) {
    case 'exact':
      return type.integer ? { kind: 'bigint' } : { kind: 'decimal', precision: precisionOf(type), scale: type.scale };
    case 'null':
      return { kind: 'string' };
    default:
      return { kind: type.kind };
  }
}

/** What a column is to an expression that names it: its type and bounds, and whether it has nulls. */
export interface ExpressionSource {
  readonly type: ExpressionType;
  readonly nullable: boolean;
}

function exact(scale: number, integer: boolean, min: number, max: number): ExpressionType {
  return { kind: 'exact', scale, integer, min, max };
}

/** The type of a column that is not derived (a reference: of the key it takes). */
export function sourceOf(column: ColumnDocument, keyOf?: (reference: ReferenceColumnDocument) => ColumnDocument): ExpressionSource {
  const nullable = (column.nullPercent ?? 0) > 0;
  const type = ((): ExpressionType => {
    switch (column.type) {
      case 'integer':
        return exact(0, true, column.min, column.max);
      case 'decimal': {
        const { low, high } = decimalSteps(column.min, column.max, column.fractionDigits);
        return exact(column.fractionDigits, false, low, high);
      }
      case 'sequence': {
        const last = column.start + column.step * (MAX_ROWS_CEILING - 1);
        return exact(0, true, Math.min(column.start, last), Math.max(column.start, last));
      }
      case 'timestamp':
        return { kind: 'timestamp', min: Date.parse(column.from), max: Date.parse(column.to) };
      case 'uuid':
      case 'oneOf':
        return STRING;
      case 'faker':
        switch (ownValue(FAKER_METHOD_TYPES, column.method) ?? 'string') {
          case 'bigint':
            return exact(0, true, -MAX_EXACT, MAX_EXACT);
          case 'double':
            return UNBOUNDED_DOUBLE;
          case 'timestamp':
            return { kind: 'timestamp', ...TIMESTAMP_RANGE };
          case 'boolean':
            return BOOLEAN;
          default:
            return STRING;
        }
      case 'reference':
        if (keyOf === undefined) throw new Error(`column ${column.name} is a reference: type it with its dataset: a bug`);
        return sourceOf(keyOf(column)).type;
      case 'derived':
        throw new Error(`column ${column.name} is derived: its type is its expression's: a bug`);
    }
  })();
  return { type, nullable };
}

/** Parses an expression; syntax errors carry jsep's character index. */
function parse(text: string): { tree: jsep.Expression; at: Map<jsep.Expression, number> } {
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

/** Type-checks one expression; `sourceAt` types the column named at a position (throwing ExpressionError when it cannot). */
export function checkExpression(text: string, sourceAt: (name: string, at: number) => { index: number; source: ExpressionSource }): TypedExpression {
  if (text.trim().length === 0) throw new ExpressionError(0, 'the expression is empty; write one such as quantity * unit_price');
  if (text.length > EXPRESSION_LIMITS.maxLength) {
    throw new ExpressionError(EXPRESSION_LIMITS.maxLength, `the expression has ${text.length} characters: at most ${EXPRESSION_LIMITS.maxLength}`);
  }
  const { tree, at } = parse(text);
  const typed = new Checker(at, sourceAt).check(tree);
  if (typed.type.kind === 'null') throw new ExpressionError(typed.at, 'the expression is always null: give it a value of some type');
  // A double result that may overflow is null there (±Infinity has no form in JSON, Parquet readers or Athena's CSV).
  if (typed.type.kind === 'double' && !(Number.isFinite(typed.type.min) && Number.isFinite(typed.type.max))) return { ...typed, nullable: true };
  return typed;
}

function isNumeric(type: ExpressionType): boolean {
  return type.kind === 'exact' || type.kind === 'double';
}

class Checker {
  constructor(
    private readonly positions: Map<jsep.Expression, number>,
    private readonly sourceAt: (name: string, at: number) => { index: number; source: ExpressionSource },
  ) {}

  private at(node: jsep.Expression): number {
    return this.positions.get(node) ?? 0;
  }

  check(node: jsep.Expression): TypedExpression {
    const at = this.at(node);
    switch (node.type) {
      case 'Identifier': {
        const { index, source } = this.sourceAt(node.name as string, at);
        return { op: 'column', name: node.name as string, type: source.type, nullable: source.nullable, at, args: [], column: index };
      }
      case 'Literal':
        return literal(node.value as unknown, node.raw as string, at);
      case 'TemplateLiteral': {
        const quasis = (node.quasis as Array<{ value: { cooked: string } }>).map((quasi) => quasi.value.cooked);
        const parts: TypedExpression[] = [];
        quasis.forEach((text, i) => {
          if (text.length > 0) parts.push(stringLiteral(text, at));
          const expression = (node.expressions as jsep.Expression[])[i];
          if (expression !== undefined) parts.push(this.asString(this.check(expression)));
        });
        return { op: 'concat', type: STRING, nullable: parts.some((part) => part.nullable), at, args: parts };
      }
      case 'UnaryExpression':
        return this.unary(node.operator as string, this.check(node.argument as jsep.Expression), at);
      case 'BinaryExpression':
        return this.binary(node.operator as string, this.check(node.left as jsep.Expression), this.check(node.right as jsep.Expression), at);
      case 'ConditionalExpression':
        return this.branches('if', [node.test, node.consequent, node.alternate].map((arg) => this.check(arg as jsep.Expression)), at);
      case 'CallExpression': {
        const callee = node.callee as jsep.Expression;
        if (callee.type !== 'Identifier') throw new ExpressionError(at, 'only the functions of the language can be called, by name, such as upper(name)');
        return this.call(callee.name as string, node.arguments as jsep.Expression[], at);
      }
      case 'Compound':
        throw new ExpressionError(at, 'one expression is expected; join values with an operator or a function, such as concat(a, b)');
      default:
        throw new ExpressionError(at, `${node.type} is not part of the expression language: use column names, literals, operators and its functions`);
    }
  }

  private unary(operator: string, arg: TypedExpression, at: number): TypedExpression {
    if (operator === '!') {
      requireKind(arg, 'boolean', '!');
      return { op: 'not', type: BOOLEAN, nullable: arg.nullable, at, args: [arg] };
    }
    if (operator === '-' || operator === '+') {
      if (!isNumeric(arg.type)) throw new ExpressionError(at, `${operator} expects a number, got ${describeOperand(arg)}`);
      if (operator === '+') return arg;
      const type = arg.type as { kind: 'exact' | 'double'; min: number; max: number };
      return { op: 'neg', type: { ...type, min: -type.max, max: -type.min } as ExpressionType, nullable: arg.nullable, at, args: [arg] };
    }
    throw new ExpressionError(at, `the operator ${operator} is not part of the language (operators: + - * / == != < <= > >= && || ! ?:)`);
  }

  private binary(operator: string, left: TypedExpression, right: TypedExpression, at: number): TypedExpression {
    const nullable = left.nullable || right.nullable;
    if (left.type.kind === 'null' || right.type.kind === 'null') {
      throw new ExpressionError(at, `${operator} with null is always null: test for null with isNull(x), or replace it with coalesce(x, ...)`);
    }
    if (operator === '&&' || operator === '||') {
      requireKind(left, 'boolean', operator);
      requireKind(right, 'boolean', operator);
      return { op: operator === '&&' ? 'and' : 'or', type: BOOLEAN, nullable, at, args: [left, right] };
    }
    if (COMPARISONS.has(operator)) return this.compare(operator, left, right, at);
    const op = ARITHMETIC.get(operator);
    if (op === undefined) {
      throw new ExpressionError(at, `the operator ${operator} is not part of the language (operators: + - * / == != < <= > >= && || ! ?:)`);
    }
    for (const operand of [left, right]) {
      if (!isNumeric(operand.type)) {
        const hint = operand.type.kind === 'timestamp' ? '; add time with addDays, addHours, addMinutes, addSeconds'
          : operand.type.kind === 'string' ? '; join text with a template `${a}${b}` or concat(a, b)' : '';
        throw new ExpressionError(operand.at, `${operator} expects numbers, got ${describeOperand(operand)}${hint}`);
      }
    }
    if (op === 'div') {
      const [a, b] = [toDouble(left), toDouble(right)];
      const bt = b.type as { min: number; max: number };
      const at2 = a.type as { min: number; max: number };
      // Division by zero is null: a divisor that may be zero leaves the quotient unbounded.
      const spansZero = bt.min <= 0 && bt.max >= 0;
      const corners = spansZero ? [-Infinity, Infinity] : [at2.min / bt.min, at2.min / bt.max, at2.max / bt.min, at2.max / bt.max];
      return {
        op, type: { kind: 'double', min: Math.min(...corners), max: Math.max(...corners) }, nullable: nullable || spansZero, at, args: [a, b],
      };
    }
    if (left.type.kind === 'double' || right.type.kind === 'double') {
      const [a, b] = [toDouble(left), toDouble(right)];
      const [x, y] = [a.type as { min: number; max: number }, b.type as { min: number; max: number }];
      return { op, type: { kind: 'double', ...intervalOf(op, x, y) }, nullable, at, args: [a, b] };
    }
    const [x, y] = [left.type as ExactType, right.type as ExactType];
    const integer = x.integer && y.integer;
    if (op === 'mul') {
      const type = checkedExact(x.scale + y.scale, integer, intervalOf(op, x, y), at, operator);
      return { op, type, nullable, at, args: [left, right] };
    }
    const scale = Math.max(x.scale, y.scale);
    const [a, b] = [rescale(left, scale, at), rescale(right, scale, at)];
    const type = checkedExact(scale, integer, intervalOf(op, a.type as ExactType, b.type as ExactType), at, operator);
    return { op, type, nullable, at, args: [a, b] };
  }

  private compare(operator: string, left: TypedExpression, right: TypedExpression, at: number): TypedExpression {
    const [a, b] = unify([left, right], at, `${operator} compares values of one type`).nodes;
    if (a.type.kind === 'boolean' && operator !== '==' && operator !== '!=') {
      throw new ExpressionError(at, `${operator} does not order booleans: compare them with == or !=`);
    }
    return { op: 'compare', name: operator, type: BOOLEAN, nullable: a.nullable || b.nullable, at, args: [a, b] };
  }

  /** if / ?: (cond, a, b) and case (cond1, v1, ..., else): a null condition is not true. */
  private branches(op: 'if' | 'case', args: TypedExpression[], at: number): TypedExpression {
    const values = args.filter((_, i) => i % 2 === 1 || i === args.length - 1);
    args.forEach((arg, i) => {
      if (i % 2 === 0 && i !== args.length - 1) requireKind(arg, 'boolean', op === 'if' ? 'the condition of if' : 'a condition of case', true);
    });
    const unified = unify(values, at, `the values of ${op} have one type`);
    const typed = args.map((arg, i) => (i % 2 === 0 && i !== args.length - 1 ? arg : unified.nodes[values.indexOf(arg)]));
    return { op, type: unified.type, nullable: unified.nodes.some((value) => value.nullable), at, args: typed };
  }

  private call(name: string, rawArgs: jsep.Expression[], at: number): TypedExpression {
    const arity = (min: number, max = min) => {
      if (rawArgs.length < min || rawArgs.length > max) {
        const count = min === max ? `${min}` : max === Infinity ? `${min} or more` : `${min} to ${max}`;
        throw new ExpressionError(at, `${name} takes ${count} argument${min === 1 && max === 1 ? '' : 's'}, got ${rawArgs.length}`);
      }
    };
    const checkArgs = () => rawArgs.map((arg) => this.check(arg));
    switch (name) {
      case 'if':
        arity(3);
        return this.branches('if', checkArgs(), at);
      case 'case':
        if (rawArgs.length < 3 || rawArgs.length % 2 === 0) {
          throw new ExpressionError(at, `case takes pairs of condition and value, then the value otherwise (an odd number, at least 3), got ${rawArgs.length}`);
        }
        return this.branches('case', checkArgs(), at);
      case 'coalesce': {
        arity(1, Infinity);
        const { nodes: args, type } = unify(checkArgs(), at, 'the values of coalesce have one type');
        return { op: 'coalesce', type, nullable: args.every((arg) => arg.nullable), at, args };
      }
      case 'isNull':
        arity(1);
        return { op: 'isNull', type: BOOLEAN, nullable: false, at, args: checkArgs() };
      case 'round':
        arity(2);
        return this.round(checkArgs(), at);
      case 'concat': {
        arity(1, Infinity);
        const args = checkArgs().map((arg) => this.asString(arg));
        return { op: 'concat', type: STRING, nullable: args.some((arg) => arg.nullable), at, args };
      }
      case 'lower':
      case 'upper':
      case 'length': {
        arity(1);
        const [s] = checkArgs();
        requireKind(s, 'string', name);
        const type = name === 'length' ? exact(0, true, 0, 2 ** 31) : STRING;
        return { op: name, type, nullable: s.nullable, at, args: [s] };
      }
      case 'substring': {
        arity(3);
        const args = checkArgs();
        requireKind(args[0], 'string', 'substring');
        args.slice(1).forEach((arg) => requireWhole(arg, 'substring'));
        return { op: 'substring', type: STRING, nullable: args.some((arg) => arg.nullable), at, args };
      }
      case 'string': {
        arity(1);
        return this.asString(checkArgs()[0], at);
      }
      case 'addDays':
      case 'addHours':
      case 'addMinutes':
      case 'addSeconds': {
        arity(2);
        const [ts, n] = checkArgs();
        requireKind(ts, 'timestamp', name);
        requireWhole(n, name);
        const unit = TIME_UNITS.get(name)!;
        const t = ts.type as { min: number; max: number };
        const k = n.type as ExactType;
        const min = Math.max(TIMESTAMP_RANGE.min, t.min + k.min * unit);
        const max = Math.min(TIMESTAMP_RANGE.max, t.max + k.max * unit);
        // What leaves the years 0000 to 9999 is null.
        const leaves = t.min + k.min * unit < TIMESTAMP_RANGE.min || t.max + k.max * unit > TIMESTAMP_RANGE.max;
        if (min > max) throw new ExpressionError(at, `${name} always leaves the years 0000 to 9999 with these operands' ranges`);
        return { op: 'addTime', factor: unit, type: { kind: 'timestamp', min, max }, nullable: ts.nullable || n.nullable || leaves, at, args: [ts, n] };
      }
      case 'diffDays': {
        arity(2);
        const args = checkArgs();
        args.forEach((arg) => requireKind(arg, 'timestamp', 'diffDays'));
        const [a, b] = args.map((arg) => arg.type as { min: number; max: number });
        const type = exact(0, true, Math.trunc((a.min - b.max) / DAY_MS), Math.trunc((a.max - b.min) / DAY_MS));
        return { op: 'diffDays', type, nullable: args.some((arg) => arg.nullable), at, args };
      }
      default: {
        const part = DATE_PARTS.get(name);
        if (part === undefined) {
          throw new ExpressionError(at, `unknown function ${name} (functions: ${EXPRESSION_FUNCTIONS.join(', ')})`);
        }
        arity(1);
        const [ts] = checkArgs();
        requireKind(ts, 'timestamp', name);
        return { op: 'datePart', name, type: exact(0, true, part[0], part[1]), nullable: ts.nullable, at, args: [ts] };
      }
    }
  }

  private round(args: TypedExpression[], at: number): TypedExpression {
    const [x, digits] = args;
    if (digits.op !== 'literal' || digits.type.kind !== 'exact' || !digits.type.integer || (digits.value as number) > EXPRESSION_LIMITS.maxScale) {
      throw new ExpressionError(digits.at, `round's digits are a whole number literal from 0 to ${EXPRESSION_LIMITS.maxScale}, such as round(x, 2)`);
    }
    const scale = digits.value as number;
    if (x.type.kind === 'exact') {
      if (scale >= x.type.scale) return rescale(x, scale, at, false);
      const factor = 10 ** (x.type.scale - scale);
      const type = exact(scale, false, roundHalfAway(x.type.min / factor), roundHalfAway(x.type.max / factor));
      return { op: 'roundExact', factor, type, nullable: x.nullable, at, args: [x] };
    }
    if (x.type.kind !== 'double') throw new ExpressionError(x.at, `round expects a number, got ${describeOperand(x)}`);
    const factor = 10 ** scale;
    const bounds = { min: roundDoubleToUnscaled(x.type.min, factor), max: roundDoubleToUnscaled(x.type.max, factor) };
    const type = checkedExact(scale, false, bounds, at, 'round');
    return { op: 'roundDouble', factor, type, nullable: x.nullable, at, args: [x] };
  }

  /** `x` as text: string(x), a template's part, concat's argument. */
  private asString(x: TypedExpression, at = x.at): TypedExpression {
    if (x.type.kind === 'string') return x;
    if (x.type.kind === 'null') return { ...x, type: STRING };
    return { op: 'string', type: STRING, nullable: x.nullable, at, args: [x] };
  }
}

type ExactType = Extract<ExpressionType, { kind: 'exact' }>;

function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

function describeOperand(node: TypedExpression): string {
  return node.op === 'column' ? `${typeName(node.type)} (column ${node.name})` : typeName(node.type);
}

/** Throws unless `node` is of `kind`; a null literal only where `nullAllowed` (a condition: null is not true). */
function requireKind(node: TypedExpression, kind: ExpressionType['kind'], what: string, nullAllowed = false): void {
  if (node.type.kind === 'null' && !nullAllowed) {
    throw new ExpressionError(node.at, `${what} of null is always null: use isNull(x), or coalesce(x, ...) to replace a null`);
  }
  if (node.type.kind !== kind && node.type.kind !== 'null') {
    throw new ExpressionError(node.at, `${what} expects ${kind === 'exact' ? 'a number' : `a ${kind}`}, got ${describeOperand(node)}`);
  }
}

function requireWhole(node: TypedExpression, what: string): void {
  if (node.type.kind !== 'exact' || !node.type.integer) {
    throw new ExpressionError(node.at, `${what} expects a whole number (bigint), got ${describeOperand(node)}`);
  }
}

/** A text of the expression, held to the rule of every text a schema gives as a value. */
function stringLiteral(value: string, at: number): TypedExpression {
  const problem = unwritableText(value);
  if (problem !== undefined) throw new ExpressionError(at, `the string ${oneLine(JSON.stringify(value), 40)}: ${problem}`);
  return { op: 'literal', type: STRING, nullable: false, at, args: [], value };
}

function literal(value: unknown, raw: string, at: number): TypedExpression {
  if (value === null) return { op: 'literal', type: { kind: 'null' }, nullable: true, at, args: [], value: null };
  if (typeof value === 'boolean') return { op: 'literal', type: BOOLEAN, nullable: false, at, args: [], value };
  if (typeof value === 'string') return stringLiteral(value, at);
  const digits = /^(\d*)(?:\.(\d*))?$/.exec(raw);
  if (digits === null) throw new ExpressionError(at, `the number ${raw} is not written as digits with an optional point: write it in full, without an exponent`);
  const fraction = digits[2] ?? '';
  if (fraction.length > EXPRESSION_LIMITS.maxScale) {
    throw new ExpressionError(at, `the number ${raw} has ${fraction.length} fraction digits: at most ${EXPRESSION_LIMITS.maxScale}`);
  }
  const unscaled = Number(`${digits[1]}${fraction}` || '0');
  if (unscaled > MAX_EXACT) throw new ExpressionError(at, `the number ${raw} has more digits than a double holds exactly (${MAX_EXACT} unscaled)`);
  return { op: 'literal', type: exact(fraction.length, fraction.length === 0, unscaled, unscaled), nullable: false, at, args: [], value: unscaled };
}

function intervalOf(op: ExpressionOp, x: { min: number; max: number }, y: { min: number; max: number }): { min: number; max: number } {
  switch (op) {
    case 'add':
      return { min: x.min + y.min, max: x.max + y.max };
    case 'sub':
      return { min: x.min - y.max, max: x.max - y.min };
    default: {
      // 0 × ∞ is 0 here: an unbounded double times zero is zero.
      const product = (a: number, b: number) => (a === 0 || b === 0 ? 0 : a * b);
      const corners = [product(x.min, y.min), product(x.min, y.max), product(x.max, y.min), product(x.max, y.max)];
      return { min: Math.min(...corners), max: Math.max(...corners) };
    }
  }
}

/** An exact type whose bounds interval arithmetic found, refused when a value could leave the doubles' exact integers. */
function checkedExact(scale: number, integer: boolean, bounds: { min: number; max: number }, at: number, operator: string): ExpressionType {
  if (scale > MAX_DECIMAL_SCALE) {
    throw new ExpressionError(at, `${operator} has ${scale} fraction digits (decimal semantics add them up under *), more than the `
      + `${MAX_DECIMAL_SCALE} a decimal keeps: use operands with fewer fraction digits, or divide (a double) and round(x, digits)`);
  }
  if (Math.abs(bounds.min) > MAX_EXACT || Math.abs(bounds.max) > MAX_EXACT) {
    const scaled = (v: number) => (v / 10 ** scale).toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
    throw new ExpressionError(at, `${operator} may reach ${scaled(Math.abs(bounds.min) > Math.abs(bounds.max) ? bounds.min : bounds.max)} `
      + `with ${scale} fraction digits, beyond the ${MAX_EXACT} units a result keeps exactly (decimal semantics): `
      + 'narrow the operands\' min and max, use fewer fraction digits, or divide (a double)');
  }
  return exact(scale, integer, bounds.min, bounds.max);
}

/** An exact node at a larger scale (its unscaled values times a power of ten). */
function rescale(node: TypedExpression, scale: number, at: number, keepInteger = true): TypedExpression {
  const type = node.type as ExactType;
  if (type.kind !== 'exact' || (type.scale === scale && (keepInteger || !type.integer))) return node;
  const factor = 10 ** (scale - type.scale);
  const integer = keepInteger && type.integer && scale === 0;
  return {
    op: 'rescale',
    factor,
    type: checkedExact(scale, integer, { min: type.min * factor, max: type.max * factor }, at, 'the decimal'),
    nullable: node.nullable,
    at: node.at,
    args: [node],
  };
}

function toDouble(node: TypedExpression): TypedExpression {
  if (node.type.kind === 'double') return node;
  const type = node.type as ExactType;
  const factor = 10 ** type.scale;
  return { op: 'toDouble', factor, type: { kind: 'double', min: type.min / factor, max: type.max / factor }, nullable: node.nullable, at: node.at, args: [node] };
}

/** Nodes made one type: exact numbers to their largest scale, exact and double to double, null to the others' type. */
function unify(nodes: TypedExpression[], at: number, rule: string): { nodes: TypedExpression[]; type: ExpressionType } {
  const typed = nodes.filter((node) => node.type.kind !== 'null');
  if (typed.length === 0) return { nodes, type: nodes[0].type };
  const kinds = new Set(typed.map((node) => (isNumeric(node.type) ? 'number' : node.type.kind)));
  if (kinds.size > 1) {
    throw new ExpressionError(at, `${rule}, got ${[...new Set(typed.map((node) => typeName(node.type)))].join(' and ')}`);
  }
  let target: ExpressionType = typed[0].type;
  if (typed.some((node) => node.type.kind === 'double')) {
    const doubles = typed.map(toDouble).map((node) => node.type as { min: number; max: number });
    target = { kind: 'double', min: Math.min(...doubles.map((t) => t.min)), max: Math.max(...doubles.map((t) => t.max)) };
  } else if (target.kind === 'exact') {
    const scale = Math.max(...typed.map((node) => (node.type as ExactType).scale));
    const scaled = typed.map((node) => rescale(node, scale, at).type as ExactType);
    target = exact(scale, scaled.every((t) => t.integer), Math.min(...scaled.map((t) => t.min)), Math.max(...scaled.map((t) => t.max)));
  } else if (target.kind === 'timestamp') {
    const times = typed.map((node) => node.type as { min: number; max: number });
    target = { kind: 'timestamp', min: Math.min(...times.map((t) => t.min)), max: Math.max(...times.map((t) => t.max)) };
  }
  const type = target;
  // Each node keeps its own bounds, inside the union's (the type of what chooses among them).
  return {
    type,
    nodes: nodes.map((node) => {
      if (node.type.kind === 'null') return { ...node, type };
      return type.kind === 'double' ? toDouble(node) : type.kind === 'exact' ? rescale(node, type.scale, at) : node;
    }),
  };
}

/** How a table is typed for its derived columns. */
export interface TableTyping {
  /** How an error names a derived column's expression: `schema.columns[3] (line_total).expression`. */
  readonly whereOf: (index: number) => string;
  /** A reference column's key column, in a dataset. */
  readonly keyOf?: (reference: ReferenceColumnDocument) => ColumnDocument;
}

/**
 * Type-checks every derived column of a table (each sees the table's other columns, derived ones included) and returns
 * per column its typed expression, undefined for the others. Refuses unknown columns, type errors and cycles.
 */
export function typeDerivedColumns(columns: readonly ColumnDocument[], typing: TableTyping): ReadonlyArray<TypedExpression | undefined> {
  const typed = new Array<TypedExpression | undefined>(columns.length);
  const visiting: number[] = [];
  const byName = new Map(columns.map((column, i) => [column.name, i]));
  const typeColumn = (i: number): TypedExpression => {
    const column = columns[i];
    if (column.type !== 'derived') throw new Error('not a derived column: a bug');
    const known = typed[i];
    if (known !== undefined) return known;
    visiting.push(i);
    try {
      typed[i] = checkExpression(column.expression, (name, at) => {
        const index = byName.get(name);
        if (index === undefined) {
          throw new ExpressionError(at, `unknown column ${name} (columns: ${columns.filter((_, c) => c !== i).map((other) => other.name).join(', ')})`);
        }
        const cycle = visiting.indexOf(index);
        if (cycle >= 0) {
          const names = [...visiting.slice(cycle), index].map((c) => columns[c].name);
          throw new ExpressionError(at, `derived columns refer to each other in a cycle: ${names.join(' -> ')}; `
            + 'a derived column can use only columns that do not depend on it');
        }
        const other = columns[index];
        if (other.type !== 'derived') return { index, source: sourceOf(other, typing.keyOf) };
        const inner = typeColumn(index);
        return { index, source: { type: inner.type, nullable: inner.nullable || (other.nullPercent ?? 0) > 0 } };
      });
    } catch (e) {
      // An error in a column this one uses is that column's, already named.
      if (!(e instanceof ExpressionError)) throw e;
      throw new InvalidInputError(`${typing.whereOf(i)} ${JSON.stringify(oneLine(column.expression, 200))} at character ${e.at}: ${e.detail}`);
    } finally {
      visiting.pop();
    }
    return typed[i]!;
  };
  columns.forEach((column, i) => {
    if (column.type === 'derived') typeColumn(i);
  });
  requireWithinBudget(columns, typed, typing);
  return typed;
}

/** Refuses a table whose derived columns would cost a row more than DERIVED_BUDGET, naming the figure and the limit. */
function requireWithinBudget(columns: readonly ColumnDocument[], typed: ReadonlyArray<TypedExpression | undefined>, typing: TableTyping): void {
  const cost = derivedCost(typed);
  if (cost.operations > DERIVED_BUDGET.maxOperationsPerRow) {
    const last = columns.map((column) => column.type).lastIndexOf('derived');
    throw new InvalidInputError(`${typing.whereOf(last)}: the derived columns evaluate ${cost.operations} operations a row, `
      + `more than the ${DERIVED_BUDGET.maxOperationsPerRow} a row may take (each derived column counts its expression's operators, `
      + 'functions, names and literals once); use fewer or shorter derived expressions');
  }
  if (cost.textCopies > DERIVED_BUDGET.maxTextCopiesPerRow) {
    const widest = cost.copiesByColumn.indexOf(Math.max(...cost.copiesByColumn));
    throw new InvalidInputError(`${typing.whereOf(widest)} ${JSON.stringify(oneLine((columns[widest] as { expression: string }).expression, 200))}: `
      + `the derived texts of a row hold up to ${cost.textCopies} copies of source values (this column ${cost.copiesByColumn[widest]}), `
      + `more than the ${DERIVED_BUDGET.maxTextCopiesPerRow} a row may hold (concat(prev, prev) doubles them at each column); `
      + 'build the text from fewer copies');
  }
}
