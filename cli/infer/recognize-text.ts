/**
 * What a text column holds, recognized from its name and a sample of its values, as the faker method that makes such
 * values: emails, URLs, IP addresses, phone numbers, zip codes, US states, names, cities, companies, products. The
 * values themselves are looked at, never kept: only the method's name goes into the schema.
 */
import { FAKER_METHODS } from '../../src/contract/faker-methods';

export interface Recognized {
  /** A uuid column (the generator's own kind), or a faker method. */
  readonly kind: 'uuid' | 'faker';
  readonly method?: string;
  /** Why: the pattern the values matched, or the column's name. */
  readonly because: string;
}

const US_STATES = new Set(['alabama', 'alaska', 'arizona', 'arkansas', 'california', 'colorado', 'connecticut', 'delaware', 'florida', 'georgia',
  'hawaii', 'idaho', 'illinois', 'indiana', 'iowa', 'kansas', 'kentucky', 'louisiana', 'maine', 'maryland', 'massachusetts', 'michigan',
  'minnesota', 'mississippi', 'missouri', 'montana', 'nebraska', 'nevada', 'new hampshire', 'new jersey', 'new mexico', 'new york',
  'north carolina', 'north dakota', 'ohio', 'oklahoma', 'oregon', 'pennsylvania', 'rhode island', 'south carolina', 'south dakota',
  'tennessee', 'texas', 'utah', 'vermont', 'virginia', 'washington', 'west virginia', 'wisconsin', 'wyoming']);

/** Patterns of values, most specific first; a column is recognized when nearly all of its sampled values match one. */
const VALUE_PATTERNS: ReadonlyArray<{ pattern: RegExp; result: Omit<Recognized, 'because'>; what: string }> = [
  { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, result: { kind: 'uuid' }, what: 'uuids' },
  { pattern: /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i, result: { kind: 'faker', method: 'internet.email' }, what: 'email addresses' },
  { pattern: /^https?:\/\/\S+$/i, result: { kind: 'faker', method: 'internet.url' }, what: 'URLs' },
  { pattern: /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, result: { kind: 'faker', method: 'internet.ipv4' }, what: 'IPv4 addresses' },
  { pattern: /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$/i, result: { kind: 'faker', method: 'internet.ipv6' }, what: 'IPv6 addresses' },
  { pattern: /^\d{5}(-\d{4})?$/, result: { kind: 'faker', method: 'location.zipCode' }, what: 'US zip codes' },
  { pattern: /^(\+?\d{1,3}[ .-]?)?(\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}( x\d{1,5})?$/, result: { kind: 'faker', method: 'phone.number' }, what: 'phone numbers' },
];

/** Column names and the method they suggest, when the values have no telling shape (names, places, companies). */
const NAME_HINTS: ReadonlyArray<{ pattern: RegExp; method: string }> = [
  { pattern: /^(first_?name|given_?name|forename)$/i, method: 'person.firstName' },
  { pattern: /^(last_?name|surname|family_?name)$/i, method: 'person.lastName' },
  { pattern: /^(full_?name|name|customer_?name|person|customer|contact)$/i, method: 'person.fullName' },
  { pattern: /city|town/i, method: 'location.city' },
  { pattern: /country/i, method: 'location.country' },
  { pattern: /street|address/i, method: 'location.streetAddress' },
  { pattern: /company|employer|organi[sz]ation/i, method: 'company.name' },
  { pattern: /product/i, method: 'commerce.productName' },
  { pattern: /isbn|sku/i, method: 'commerce.isbn' },
  { pattern: /job|title/i, method: 'person.jobTitle' },
  { pattern: /user_?name|login/i, method: 'internet.username' },
  { pattern: /department/i, method: 'commerce.department' },
];

/** At least this share of the sampled values must match a pattern. */
const MATCH_SHARE = 0.95;

export function recognizeText(columnName: string, sample: readonly string[]): Recognized | undefined {
  const present = sample.filter((value) => value !== '');
  if (present.length === 0) return undefined;
  for (const { pattern, result, what } of VALUE_PATTERNS) {
    const matching = present.filter((value) => pattern.test(value)).length;
    if (matching / present.length >= MATCH_SHARE && (result.method === undefined || FAKER_METHODS.includes(result.method))) {
      return { ...result, because: `${Math.round((matching / present.length) * 100)}% of the sampled values are ${what}` };
    }
  }
  const states = present.filter((value) => US_STATES.has(value.toLowerCase())).length;
  if (states / present.length >= MATCH_SHARE) return { kind: 'faker', method: 'location.state', because: 'the values are US state names' };
  for (const { pattern, method } of NAME_HINTS) {
    if (pattern.test(columnName) && FAKER_METHODS.includes(method)) return { kind: 'faker', method, because: `the column's name, ${columnName}` };
  }
  return undefined;
}

/** Text with nothing recognizable: words of about the observed length. */
export function fallbackTextMethod(meanLength: number): { method: string; because: string } {
  if (meanLength <= 12) return { method: 'lorem.word', because: 'text of no recognizable kind, short: lorem words' };
  if (meanLength <= 60) return { method: 'lorem.sentence', because: 'text of no recognizable kind: lorem sentences' };
  return { method: 'lorem.paragraph', because: 'long text of no recognizable kind: lorem paragraphs' };
}
