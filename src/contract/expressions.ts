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
 * The syntax (jsep, positions) is in expression-syntax.ts, the node types in expression-types.ts, and the typing of a
 * table's derived columns together in derived-typing.ts.
 */
import type jsep from 'jsep';
import { roundDoubleToUnscaled } from './double-rounding';
import { oneLine, unwritableText } from './errors';
import { parse } from './expression-syntax';
import {
  BOOLEAN, exact, ExpressionError, STRING, typeName,
  type ExpressionOp, type ExpressionSource, type ExpressionType, type TypedExpression,
} from './expression-types';
import { EXPRESSION_LIMITS, MAX_DECIMAL_SCALE, MAX_EXACT, TIMESTAMP_RANGE } from './limits';

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
