/**
 * Coherent rows: faker columns of one entity describe one person or one place on every row, read back through CSV.
 */
import { en, en_US } from '@faker-js/faker';
import { validateSchemaDocument } from '../../src/contract/schema-document';
import { engineOutput, parseCsv, schemaOf } from '../support/engine-output';
import { expectSplitsMakeTheWholeRun } from '../support/splits';

const customer = [
  { name: 'first_name', type: 'faker', method: 'person.firstName', entity: 'customer' },
  { name: 'last_name', type: 'faker', method: 'person.lastName', entity: 'customer' },
  { name: 'full_name', type: 'faker', method: 'person.fullName', entity: 'customer' },
  { name: 'email', type: 'faker', method: 'internet.email', entity: 'customer' },
  { name: 'username', type: 'faker', method: 'internet.username', entity: 'customer' },
  { name: 'sex', type: 'faker', method: 'person.sex', entity: 'customer' },
  { name: 'prefix', type: 'faker', method: 'person.prefix', entity: 'customer' },
];
const address = [
  { name: 'state', type: 'faker', method: 'location.state', entity: 'address' },
  { name: 'zip', type: 'faker', method: 'location.zipCode', entity: 'address' },
];
const schema = schemaOf(...customer, ...address, { name: 'nickname', type: 'faker', method: 'person.firstName' });

/** What faker's internet.username does to a name: accents, apostrophes and spaces dropped, then anything not [A-Za-z0-9._+-]. */
const cleaned = (name: string) => name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/['\s]/g, '').replace(/[^A-Za-z0-9._+-]+/g, '');

async function recordsOf(rowCount: number, seed = 7): Promise<Record<string, string>[]> {
  const [header, ...rows] = parseCsv((await engineOutput({ schema, seed, rowCount })).bytes);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

describe('a person', () => {
  test('full name, email and username are made of the first and last name of the same row, on every row', async () => {
    const records = await recordsOf(20_000);
    const prefixes = new Set([...en.person!.prefix!.female!, ...en.person!.prefix!.male!]);
    const suffixes = new Set(en.person!.suffix as string[]);
    const shapes = new Set<string>();
    for (const r of records) {
      // "[prefix ]first last[ suffix]", the prefix (when shown) the person's own.
      const name = `${r.first_name} ${r.last_name}`;
      const at = r.full_name.indexOf(name);
      expect(at).toBeGreaterThanOrEqual(0);
      const before = r.full_name.slice(0, at);
      const after = r.full_name.slice(at + name.length);
      expect(before === '' || before === `${r.prefix} `).toBe(true);
      expect(after === '' || suffixes.has(after.slice(1))).toBe(true);
      expect(prefixes.has(r.prefix)).toBe(true);
      // The username is the email's local part: first.last42, first_last, first42, ...
      const [local, provider] = r.email.split('@');
      expect(local).toBe(r.username);
      expect(en.internet!.free_email).toContain(provider);
      const first = cleaned(r.first_name);
      const last = cleaned(r.last_name);
      const shape = new RegExp(`^${first}(?:([._])${last}(\\d{0,2})|(\\d{1,2}))$`).exec(r.username);
      expect(shape).not.toBeNull();
      shapes.add(shape![3] !== undefined ? 'first42' : shape![2] === '' ? 'first.last' : 'first.last42');
    }
    expect([...shapes].sort()).toEqual(['first.last', 'first.last42', 'first42']);
    // Prefixes and suffixes appear at faker's rates (7 + 1 and 7 + 1 of 64).
    const withPrefix = records.filter((r) => r.full_name.startsWith(`${r.prefix} `)).length / records.length;
    expect(withPrefix).toBeGreaterThan(0.1);
    expect(withPrefix).toBeLessThan(0.15);
  });

  test('the first name and the prefix follow the person\'s sex', async () => {
    const records = await recordsOf(5000);
    const female = new Set(en.person!.first_name!.female!);
    const male = new Set(en.person!.first_name!.male!);
    for (const r of records) {
      expect(['female', 'male']).toContain(r.sex);
      expect((r.sex === 'female' ? female : male).has(r.first_name)).toBe(true);
      expect((r.sex === 'female' ? en.person!.prefix!.female! : en.person!.prefix!.male!)).toContain(r.prefix);
    }
    expect(new Set(records.map((r) => r.sex)).size).toBe(2);
    // Thousands of names of either sex: 5000 people meet most of a thousand.
    expect(new Set(records.map((r) => r.first_name)).size).toBeGreaterThan(800);
  });

  test('a column without an entity, and two entities, are other people', async () => {
    const twoPeople = schemaOf(...customer, ...customer.map((c) => ({ ...c, name: `other_${c.name}`, entity: 'seller' })));
    const [header, ...rows] = parseCsv((await engineOutput({ schema: twoPeople, seed: 3, rowCount: 2000 })).bytes);
    const at = (name: string) => header.indexOf(name);
    const same = rows.filter((row) => row[at('full_name')] === row[at('other_full_name')]).length;
    expect(same).toBeLessThan(5);
    const alone = (await recordsOf(2000)).filter((r) => r.nickname === r.first_name).length;
    expect(alone).toBeLessThan(50);
  });
});

describe('a place', () => {
  test('the zip code lies in the state\'s ranges in faker\'s en_US data, on every row', async () => {
    const records = await recordsOf(20_000);
    const byState = en_US.location!.postcode_by_state as Record<string, string | string[]>;
    const abbreviationOf = new Map(en.location!.state!.map((state, i) => [state, en.location!.state_abbr![i]]));
    const ranges = (state: string) => [byState[abbreviationOf.get(state)!]].flat().map((template) => {
      const [, zeros, min, max] = /^(0*)\{\{number\.int\(\{"min": (\d+),"max": (\d+)\}\)\}\}$/.exec(template)!;
      return { zeros, min: Number(min), max: Number(max) };
    });
    for (const r of records) {
      expect(r.zip).toMatch(/^\d{5}$/);
      const inRange = ranges(r.state).some(({ zeros, min, max }) => r.zip.startsWith(zeros) && Number(r.zip) >= min && Number(r.zip) <= max);
      expect({ state: r.state, zip: r.zip, inRange }).toEqual({ state: r.state, zip: r.zip, inRange: true });
    }
    expect(new Set(records.map((r) => r.state)).size).toBe(50);
  });
});

describe('deterministic by row', () => {
  test('any split of a run into parts (any shard count) makes the same rows as the whole run (fast-check)', async () => {
    await expectSplitsMakeTheWholeRun(schema, 2000, 12);
  });

  test('a known seed keeps making the same people and places (changing them is a breaking change)', async () => {
    const { bytes } = await engineOutput({ schema, seed: 42, rowCount: 4 });
    expect(bytes.toString('utf8')).toMatchSnapshot();
  });
});

describe('the validator', () => {
  const refused = (...columns: Record<string, unknown>[]) => () => validateSchemaDocument({ columns });

  test('refuses a method that cannot join an entity, naming the column, the method and those that can', () => {
    expect(refused({ name: 'city', type: 'faker', method: 'location.city', entity: 'address' })).toThrow(
      /^schema.columns\[0\] \(city\).method is "location.city": a column with an entity describes a person \(person.firstName, .*internet.username\) or a place \(location.state, location.zipCode\); location.city cannot agree with them \(faker's cities, counties and streets are not tied to a state\), so remove its entity$/);
    expect(refused({ name: 'iban', type: 'faker', method: 'finance.iban', entity: 'customer' })).toThrow(/\(iban\).method is "finance.iban": .*finance.iban cannot agree with them, so remove its entity/);
  });

  test('refuses a person and a place in one entity', () => {
    expect(refused(customer[0], { ...address[0], entity: 'customer' })).toThrow(
      'schema.columns[1] (state) is a place (location.state) in entity "customer", but column first_name made it a person: '
      + 'one entity is one person or one place; give the place another entity name');
  });

  test('refuses an entity name that is not a name', () => {
    expect(refused({ ...customer[0], entity: '' })).toThrow(/\(first_name\).entity is "": a name of 1 to 64 letters, digits or _/);
    expect(refused({ ...customer[0], entity: 7 })).toThrow(/\(first_name\).entity is 7: a name/);
  });

  test('keeps the entity in the validated schema, and a column without one as it was', () => {
    expect(validateSchemaDocument({ columns: [customer[3], { name: 'x', type: 'faker', method: 'person.firstName' }] }).columns).toEqual([
      customer[3], { name: 'x', type: 'faker', method: 'person.firstName' },
    ]);
  });
});
