/**
 * Coherent rows: faker columns of one row that name the same `entity` describe one person or one place, so the email
 * is made of the first and last name beside it and the zip code lies in the state beside it.
 *
 * Part of the schema's contract (schema-document.ts calls these checks); it imports only the contract's floor.
 */
import { fail, InvalidInputError } from './errors';

/** The methods that describe a person: all from one sex, one first name, one last name. */
export const PERSON_METHODS: readonly string[] = [
  'person.firstName', 'person.lastName', 'person.fullName', 'person.sex', 'person.prefix', 'internet.email', 'internet.username',
];

/**
 * The methods that describe a place. faker's English cities, counties and streets are not tied to a state (a city is
 * made from name parts), so they cannot join a place honestly; US zip codes are (faker's postcode ranges per state).
 */
export const PLACE_METHODS: readonly string[] = ['location.state', 'location.zipCode'];

export type EntityKind = 'person' | 'place';

const ENTITY_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function entityKindOf(method: string): EntityKind | undefined {
  if (PERSON_METHODS.includes(method)) return 'person';
  if (PLACE_METHODS.includes(method)) return 'place';
  return undefined;
}

/** The column's `entity`, validated, or undefined when absent. */
export function validateEntity(at: string, raw: Record<string, unknown>, method: string): string | undefined {
  const entity = raw.entity;
  if (entity === undefined) return undefined;
  if (typeof entity !== 'string' || !ENTITY_NAME.test(entity)) {
    fail(`${at}.entity`, entity, 'a name of 1 to 64 letters, digits or _ (such as "customer"), the same on every column of one person or place');
  }
  if (entityKindOf(method) === undefined) {
    fail(`${at}.method`, method, `a column with an entity describes a person (${PERSON_METHODS.join(', ')}) or a place (${PLACE_METHODS.join(', ')}); `
      + `${method} cannot agree with them${method.startsWith('location.') ? ' (faker\'s cities, counties and streets are not tied to a state)' : ''}, `
      + 'so remove its entity');
  }
  return entity;
}

/** Refuses an entity whose columns mix person and place methods. */
export function validateEntities(
  where: string, columns: readonly { readonly name: string; readonly type: string; readonly method?: string; readonly entity?: string }[],
): void {
  const kinds = new Map<string, { kind: EntityKind; column: string }>();
  columns.forEach((column, i) => {
    if (column.type !== 'faker' || column.entity === undefined || column.method === undefined) return;
    const kind = entityKindOf(column.method)!;
    const first = kinds.get(column.entity);
    if (first === undefined) {
      kinds.set(column.entity, { kind, column: column.name });
    } else if (first.kind !== kind) {
      throw new InvalidInputError(`${where}.columns[${i}] (${column.name}) is a ${kind} (${column.method}) in entity "${column.entity}", `
        + `but column ${first.column} made it a ${first.kind}: one entity is one person or one place; give the ${kind} another entity name`);
    }
  });
}
