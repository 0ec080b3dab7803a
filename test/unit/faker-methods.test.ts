/**
 * The faker method list the construct validates against (src/contract/faker-methods.ts, generated so that the construct
 * need not load faker) is the installed faker's: every method name and the type of value each returns.
 */
import { listCellFakerMethods } from '../../scripts/faker-method-list';
import { FAKER_METHOD_TYPES, FAKER_METHODS, FAKER_VERSION } from '../../src/contract/faker-methods';

// The construct validates faker method names from a generated list, so that it need not depend on faker.
// This fails when the installed faker (the one the handler bundles) no longer matches that list:
// run `npx projen gen:faker-methods` and review the difference.
test('the generated faker method list matches the installed @faker-js/faker', () => {
  const installed = listCellFakerMethods();
  expect(FAKER_VERSION).toBe(installed.version);
  expect([...FAKER_METHODS]).toEqual(installed.methods);
  // What each method returns decides its column's type in every format and in the catalog.
  expect(FAKER_METHOD_TYPES).toEqual(installed.types);
});

test('the sales table\'s faker methods are allowed', () => {
  expect(FAKER_METHODS).toEqual(expect.arrayContaining(['person.fullName', 'internet.email', 'commerce.productName', 'location.state']));
});
