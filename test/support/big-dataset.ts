/**
 * A large dataset for the environment-size tests: `tables` tables of `columns` columns each, every kind of column in
 * turn (faker methods, lists, numbers, timestamps), each table after the first referring to the one before it
 * (children and skewed choices in turn), with names as long as real ones.
 */
const FAKER = ['person.fullName', 'internet.email', 'commerce.productName', 'location.city', 'company.name', 'phone.number'];

/**
 * @param distinctNames give every column and list value a name of 10 pseudo-random hex digits (the same on every
 * call): text that hardly compresses, the worst case for the environment.
 */
export function bigDatasetDocument(tables: number, columns: number, distinctNames = false): { tables: Array<Record<string, unknown>> } {
  let state = 0x2545f491;
  const hex = () => Array.from({ length: 10 }, () => {
    // A linear congruential generator, exact in doubles (state × a stays below 2^53).
    state = (state * 1664525 + 1013904223) % 4294967296;
    return Math.floor(state / 268435456).toString(16);
  }).join('');
  return {
    tables: Array.from({ length: tables }, (_table, t) => {
      const key = { name: `table_${t}_id`, type: t % 2 === 0 ? 'uuid' : 'sequence' };
      const reference = t === 0 ? [] : [{
        name: `table_${t - 1}_id`,
        type: 'reference',
        table: `table_${t - 1}`,
        column: `table_${t - 1}_id`,
        ...(t % 3 === 0 ? { children: { min: 1, max: 3 } } : { skew: 1.2 }),
      }];
      const rest = Array.from({ length: columns - 1 - reference.length }, (_column, c) => {
        const name = distinctNames ? `c_${hex()}` : `attribute_${String(c).padStart(2, '0')}_of_table_${t}`;
        switch (c % 6) {
          case 0: return { name, type: 'faker', method: FAKER[c % FAKER.length] };
          case 1: return { name, type: 'oneOf', values: distinctNames ? [hex(), hex(), hex(), hex()] : ['bronze', 'silver', 'gold', 'platinum'], weights: [50, 30, 15, 5] };
          case 2: return { name, type: 'integer', min: 0, max: 100_000, nullPercent: 5 };
          case 3: return { name, type: 'decimal', min: 0, max: 99_999.99, fractionDigits: 2 };
          case 4: return { name, type: 'timestamp', from: '2020-01-01T00:00:00Z', to: '2025-12-31T23:59:59Z' };
          default: return { name, type: 'uuid' };
        }
      });
      const childRows = t % 3 === 0 && t > 0;
      return { name: `table_${t}`, ...(childRows ? {} : { rows: 1000 }), columns: [key, ...reference, ...rest] };
    }),
  };
}
