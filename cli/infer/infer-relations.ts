/**
 * The relations between rows that one column's profile cannot show, found by reading the files a second time once the
 * keys and references are known (infer-dataset.ts): each child row is joined to its parent's row (and its parent's
 * parent's, through a reference of the parent) by the parent's key, in memory, for parents of up to
 * MAX_PARENT_ROWS rows. A column of the child then becomes, the first that holds on every row:
 * - a `lookup` of a parent's column, when it equals that column at the referenced row (1 reference before 2);
 * - a `derived` column, when a number equals an expression of the row's other numbers (a × b, a × b × (1 − c), a + b,
 *   a − b, rounded to its digits);
 * - a `seriesTime` over the children of each parent, when a timestamp ascends within each parent's rows but not over
 *   the file, starting at the parent's timestamp that none of its children precede, if any;
 * - a `timestampAfter` a parent's timestamp, when no row is before it and its lags spread over less than half the
 *   column's span (the nearest one), with the lags' bounds and law; not a timestamp that ascends over the file.
 * A parent's timestamp that a series or lag follows comes in as a helper lookup that is not written (`omit`).
 */
import { fitDistribution } from './fit-distribution';
import type { ColumnDocument } from '../../src/contract/column-documents';
import { childrenReference, validateDatasetDocument, type DatasetDocument, type TableDocument } from '../../src/contract/dataset-document';
import { LAG_UNIT_MS, type LagUnit } from '../../src/contract/lags';
import { cellOf, type Cell } from '../samples/cells';
import type { TableProfile } from '../samples/column-profile';
import { readRows, type Row } from '../samples/read-rows';
import { Reservoir } from '../samples/reservoir';
import type { SampleTable } from '../samples/sample-set';

/** Parents held in memory to join their children to; a larger parent table is not looked into (the reasons say so). */
export const MAX_PARENT_ROWS = 200_000;
/** Rows a relation must hold on before it is believed. */
const MIN_EVIDENCE = 10;
/** Lags kept for fitting their law. */
const LAG_SAMPLE = 4096;

export interface RelationsInput {
  readonly document: DatasetDocument;
  readonly samples: readonly SampleTable[];
  readonly profiles: readonly TableProfile[];
  readonly sampleRows: number;
}

/** Per table and column, why it changed. */
export type Reasons = Map<string, { table: string; column: string; because: readonly string[] }>;

/** A parent table in memory: the row of each key, and each column's cells by row. */
interface ParentRows {
  readonly rowOf: Map<string, number>;
  readonly cells: Map<string, Array<Cell | undefined>>;
}

/** A way from a child row to a row of another table: the reference columns followed, and the table reached. */
interface JoinPath {
  readonly through: readonly string[];
  /** The table each reference of `through` points at; the last is the target. */
  readonly tables: readonly string[];
  readonly target: string;
  /** The target's key column the last reference holds (a lookup of it is the reference itself). */
  readonly targetKey: string;
}

async function eachBatch(sample: SampleTable, maxRows: number, use: (rows: readonly Row[]) => void): Promise<void> {
  let read = 0;
  for (const file of sample.files) {
    if (read >= maxRows) return;
    await readRows(file, (rows) => {
      read += rows.length;
      use(rows);
    }, { maxRows: maxRows - read });
  }
}

async function loadParent(sample: SampleTable, table: TableDocument, key: string, maxRows: number): Promise<ParentRows> {
  const rowOf = new Map<string, number>();
  const cells = new Map(table.columns.map((column) => [column.name, [] as Array<Cell | undefined>]));
  let row = 0;
  await eachBatch(sample, maxRows, (rows) => {
    for (const values of rows) {
      for (const [name, column] of cells) column.push(cellOf(values[name]));
      const cell = cells.get(key)![row];
      if (cell !== undefined) rowOf.set(cell.key, row);
      row += 1;
    }
  });
  return { rowOf, cells };
}

const isNumber = (profile: TableProfile, name: string) => ['integer', 'decimal'].includes(profile.columns.get(name)?.kind ?? '');
const isTimestamp = (profile: TableProfile, name: string) => profile.columns.get(name)?.kind === 'timestamp';
const sameCell = (a: Cell | undefined, b: Cell | undefined) => (a === undefined ? b === undefined : b !== undefined && a.key === b.key);

/** Candidate expressions of a row's numbers: operands by name, and how to compute them. */
interface Expression {
  readonly text: string;
  readonly operands: readonly string[];
  readonly value: (x: readonly number[]) => number;
}

function expressionsOver(names: readonly string[]): Expression[] {
  const found: Expression[] = [];
  for (let i = 0; i < names.length; i += 1) {
    for (let j = 0; j < names.length; j += 1) {
      if (i === j) continue;
      const [a, b] = [names[i], names[j]];
      if (i < j) {
        found.push({ text: `${a} * ${b}`, operands: [a, b], value: ([x, y]) => x * y });
        found.push({ text: `${a} + ${b}`, operands: [a, b], value: ([x, y]) => x + y });
        for (const c of names) {
          if (c !== a && c !== b) found.push({ text: `${a} * ${b} * (1 - ${c})`, operands: [a, b, c], value: ([x, y, z]) => x * y * (1 - z) });
        }
      }
      found.push({ text: `${a} - ${b}`, operands: [a, b], value: ([x, y]) => x - y });
    }
  }
  return found;
}

/** The unit a lag of at most `maxMs` reads best in. */
function lagUnitOf(maxMs: number): LagUnit {
  if (maxMs < 10 * LAG_UNIT_MS.minutes) return 'seconds';
  if (maxMs < 10 * LAG_UNIT_MS.hours) return 'minutes';
  if (maxMs < 30 * LAG_UNIT_MS.days) return 'hours';
  return 'days';
}

/** The relations of one child table, and the columns' documents that follow from them. */
async function relateTable(
  table: TableDocument, sample: SampleTable, profile: TableProfile, parents: Map<string, ParentRows>, documentOf: (name: string) => TableDocument,
  maxRows: number, reasons: Reasons,
): Promise<ColumnDocument[]> {
  const references = table.columns.filter((column): column is Extract<ColumnDocument, { type: 'reference' }> => column.type === 'reference');
  const paths: JoinPath[] = [];
  for (const reference of references) {
    if (!parents.has(reference.table)) continue;
    paths.push({ through: [reference.name], tables: [reference.table], target: reference.table, targetKey: reference.column });
    for (const next of documentOf(reference.table).columns) {
      if (next.type === 'reference' && parents.has(next.table)) {
        paths.push({ through: [reference.name, next.name], tables: [reference.table, next.table], target: next.table, targetKey: next.column });
      }
    }
  }
  if (paths.length === 0) return table.columns as ColumnDocument[];
  const keyTypes = new Set(['reference', 'sequence', 'uuid']);
  const candidates = table.columns.filter((column) => !keyTypes.has(column.type) && profile.columns.has(column.name)).map((column) => column.name);
  // Each tracker holds its parent column's cells, read at the row its path reaches.
  const lookups = candidates.flatMap((name) => paths.flatMap((path, p) => [...parents.get(path.target)!.cells]
    .filter(([column]) => column !== path.targetKey)
    .map(([column, cells]) => ({ name, path: p, column, cells, equal: true, compared: 0 }))));
  const timestampsOf = (target: string) => [...parents.get(target)!.cells].filter(([, cells]) => cells.some((cell) => cell?.kind === 'timestamp'));
  const lags = candidates.filter((name) => isTimestamp(profile, name)).flatMap((name) => paths.flatMap((path, p) => timestampsOf(path.target)
    .map(([column, cells]) => ({
      name, path: p, column, cells, min: Infinity, max: -Infinity, before: 0, count: 0, sample: new Reservoir(LAG_SAMPLE),
    }))));
  const children = childrenReference(table);
  const series = children === undefined ? [] : candidates.filter((name) => isTimestamp(profile, name) && !profile.columns.get(name)!.ascending)
    .map((name) => ({ name, parent: undefined as string | undefined, last: -Infinity, backwards: 0, pairs: 0 }));
  const numbers = candidates.filter((name) => isNumber(profile, name));
  const derived = numbers.flatMap((name) => expressionsOver(numbers.filter((other) => other !== name))
    .map((expression) => ({ name, expression, holds: true, rows: 0 })));
  const digitsOf = (name: string) => profile.columns.get(name)!.fractionDigits;

  await eachBatch(sample, maxRows, (rows) => {
    for (const values of rows) {
      const cells = new Map<string, Cell | undefined>();
      const cell = (name: string) => {
        if (!cells.has(name)) cells.set(name, cellOf(values[name]));
        return cells.get(name);
      };
      // The row each path reaches: the first reference's parent row by its key, then that row's reference, and so on.
      const targetRows = paths.map((path) => {
        let key = cell(path.through[0])?.key;
        let row: number | undefined;
        for (let step = 0; step < path.through.length && key !== undefined; step += 1) {
          const parent = parents.get(path.tables[step])!;
          row = parent.rowOf.get(key);
          if (row === undefined) return undefined;
          if (step + 1 < path.through.length) key = parent.cells.get(path.through[step + 1])![row]?.key;
        }
        return key === undefined ? undefined : row;
      });
      for (const lookup of lookups) {
        if (!lookup.equal) continue;
        const row = targetRows[lookup.path];
        if (row === undefined) continue;
        lookup.compared += 1;
        lookup.equal = sameCell(cell(lookup.name), lookup.cells[row]);
      }
      for (const lag of lags) {
        const row = targetRows[lag.path];
        const at = cell(lag.name)?.number;
        const from = row === undefined ? undefined : lag.cells[row]?.number;
        if (at === undefined || from === undefined) continue;
        const ms = at - from;
        if (ms < 0) lag.before += 1;
        lag.min = Math.min(lag.min, ms);
        lag.max = Math.max(lag.max, ms);
        lag.count += 1;
        lag.sample.add(ms);
      }
      const parentKey = children === undefined ? undefined : cell(children.name)?.key;
      for (const s of series) {
        const at = cell(s.name)?.number;
        if (at === undefined || parentKey === undefined) continue;
        if (s.parent === parentKey) {
          s.pairs += 1;
          if (at < s.last) s.backwards += 1;
        }
        s.parent = parentKey;
        s.last = at;
      }
      for (const d of derived) {
        if (!d.holds) continue;
        const y = cell(d.name)?.number;
        const operands = d.expression.operands.map((name) => cell(name)?.number);
        if (y === undefined || operands.some((x) => x === undefined)) {
          d.holds = (y === undefined) === operands.some((x) => x === undefined);
          continue;
        }
        // Within half a unit of the last digit of the exact value: y is it rounded, whichever way a tie went (the
        // double of 9.225 lies below it, the engine's exact decimal does not).
        const exact = d.expression.value(operands as number[]);
        d.rows += 1;
        d.holds = Math.abs(y - exact) <= 0.5 * 10 ** -digitsOf(d.name) * (1 + 1e-9) + 1e-9 * Math.abs(exact);
      }
    }
  });

  const columns: ColumnDocument[] = [];
  const derivedNames = new Set<string>();
  const taken = new Set(table.columns.map((column) => column.name));
  const helperFor = (path: JoinPath, column: string): ColumnDocument => {
    let name = column;
    for (let n = 2; taken.has(name); n += 1) name = n === 2 ? `${path.target}_${column}` : `${path.target}_${column}_${n}`;
    taken.add(name);
    return { name, type: 'lookup', through: [...path.through], column, omit: true };
  };
  const because = (name: string, text: string) => {
    reasons.set(`${table.name}.${name}`, { table: table.name, column: name, because: [text] });
  };
  for (const column of table.columns) {
    const name = column.name;
    const lookup = lookups.filter((l) => l.name === name && l.equal && l.compared >= MIN_EVIDENCE && profileDistinct(l.cells) >= 2)
      .sort((a, b) => paths[a.path].through.length - paths[b.path].through.length)[0];
    if (lookup !== undefined) {
      const path = paths[lookup.path];
      columns.push({ name, type: 'lookup', through: [...path.through], column: lookup.column });
      because(name, `equal on all ${lookup.compared} rows to ${path.target}.${lookup.column} at the row ${path.through.join(' → ')} names: a lookup`);
      continue;
    }
    const formula = derived.find((d) => d.name === name && d.holds && d.rows >= MIN_EVIDENCE
      && !d.expression.operands.some((operand) => derivedNames.has(operand)));
    if (formula !== undefined) {
      const digits = digitsOf(name);
      const integers = formula.expression.operands.every((o) => digitsOf(o) === 0) && !formula.expression.text.includes('(1 -');
      if (digits > 0 || integers) {
        const expression = digits > 0 ? `round(${formula.expression.text}, ${digits})` : formula.expression.text;
        columns.push({ name, type: 'derived', expression });
        derivedNames.add(name);
        because(name, `equal on all ${formula.rows} rows to ${expression}: a derived column`);
        continue;
      }
    }
    const columnProfile = profile.columns.get(name)!;
    // A time after a parent's: never before it, and following it closely, its lags spread over less than half the
    // column's own span (orders of 2025 all after signups of 2020 to 2024 follow no signup: they just come later).
    const span = columnProfile.max - columnProfile.min;
    const after = lags.filter((l) => l.name === name && l.before === 0 && l.count >= MIN_EVIDENCE).sort((a, b) => a.max - b.max);
    const following = after.filter((l) => l.max - l.min < 0.5 * span);
    const ordered = series.find((s) => s.name === name && s.backwards === 0 && s.pairs >= MIN_EVIDENCE);
    if (ordered !== undefined && children !== undefined) {
      const start = after.find((l) => paths[l.path].through.length === 1 && paths[l.path].through[0] === children.name);
      const helper = start === undefined ? undefined : helperFor(paths[start.path], start.column);
      if (helper !== undefined) columns.push(helper);
      columns.push({
        name,
        type: 'seriesTime',
        reference: children.name,
        ...(helper !== undefined ? { start: helper.name } : {}),
        from: new Date(columnProfile.min).toISOString(),
        to: new Date(columnProfile.max).toISOString(),
      });
      because(name, `ascending within each ${children.name}'s rows (${ordered.pairs} pairs) but not over the file: a series per parent`
        + (start !== undefined ? `, from ${paths[start.path].target}.${start.column}, which none of its rows precedes` : ''));
      continue;
    }
    const ascending = columnProfile.ascending && columnProfile.nulls === 0;
    if (following.length > 0 && !ascending) {
      const lag = following[0];
      const unit = lagUnitOf(lag.max);
      const unitMs = LAG_UNIT_MS[unit];
      const minLag = Math.floor((lag.min / unitMs) * 1000) / 1000;
      const maxLag = Math.ceil((lag.max / unitMs) * 1000) / 1000;
      const fit = fitDistribution(lag.sample.values.map((ms) => ms / unitMs), { min: minLag, max: maxLag }, false);
      const helper = helperFor(paths[lag.path], lag.column);
      const nullPercent = Math.round(columnProfile.nullShare * 10_000) / 100;
      columns.push(helper, {
        name,
        type: 'timestampAfter',
        after: helper.name,
        minLag,
        maxLag,
        unit,
        ...(fit.distribution !== undefined && fit.distribution.kind !== 'zipf' ? { distribution: fit.distribution } : {}),
        ...(nullPercent > 0 ? { nullPercent } : {}),
      });
      because(name, `${minLag} to ${maxLag} ${unit} after ${paths[lag.path].target}.${lag.column} on all ${lag.count} rows, never before: `
        + `a timestamp after its parent's; the lags: ${fit.because}`);
      continue;
    }
    columns.push(column);
  }
  return columns;
}

/** Distinct values among a parent column's cells. */
function profileDistinct(cells: ReadonlyArray<Cell | undefined>): number {
  const seen = new Set<string>();
  for (const cell of cells) {
    if (cell !== undefined) seen.add(cell.key);
    if (seen.size >= 2) return seen.size;
  }
  return seen.size;
}

/** The dataset with the relations between rows that the files show, each with its reason. */
export async function inferRelations(input: RelationsInput, reasons: Reasons): Promise<DatasetDocument> {
  const { document, samples, profiles, sampleRows } = input;
  const documentOf = (name: string) => document.tables.find((table) => table.name === name)!;
  const sampleOf = (name: string) => samples.find((table) => table.name === name)!;
  const profileOf = (name: string) => profiles.find((table) => table.name === name)!;
  const parents = new Map<string, ParentRows>();
  for (const table of document.tables) {
    for (const column of table.columns) {
      if (column.type !== 'reference' || parents.has(column.table)) continue;
      const rows = profileOf(column.table).rows;
      if (rows > MAX_PARENT_ROWS) {
        reasons.set(`${table.name}.${column.name}`, {
          table: table.name,
          column: column.name,
          because: [...reasons.get(`${table.name}.${column.name}`)?.because ?? [], `${column.table} has ${rows} rows, more than the ${MAX_PARENT_ROWS} `
            + 'held in memory to find lookups and times after a parent\'s: its children\'s relations were not looked for'],
        });
        continue;
      }
      parents.set(column.table, await loadParent(sampleOf(column.table), documentOf(column.table), column.column, sampleRows));
    }
  }
  const tables = [];
  for (const table of document.tables) {
    const columns = await relateTable(table, sampleOf(table.name), profileOf(table.name), parents, documentOf, sampleRows, reasons);
    tables.push({ ...table, columns });
  }
  // A children table's rows follow from its parent's: the document gives them only to the others.
  const documents = tables.map((table) => (childrenReference(table) === undefined ? table : { name: table.name, columns: table.columns }));
  return validateDatasetDocument({ tables: documents }, 'the inferred dataset');
}
