/**
 * A validated document holds no -0. JSON writes -0 as 0, so a document with -0 (a level.min of -0 is a number in its
 * range) would not validate again to itself after the construct wrote it into the function's environment; and what the
 * function runs is what the JSON says. Every -0 becomes 0, in a copy of the document's plain objects and arrays.
 */
export function withoutNegativeZero<T>(value: T): T {
  if (Object.is(value, -0)) return 0 as T;
  if (Array.isArray(value)) return value.map((item) => withoutNegativeZero(item)) as T;
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    // defineProperty, not assignment: a key such as __proto__ stays an own field of the copy.
    for (const [key, field] of Object.entries(value)) {
      Object.defineProperty(copy, key, { value: withoutNegativeZero(field), enumerable: true, configurable: true, writable: true });
    }
    return copy as T;
  }
  return value;
}
