/**
 * A name-keyed table read by its own keys only. A plain object literal inherits Object.prototype, so `TABLE[name]`
 * with a user's name finds `constructor`, `toString` or `__proto__` and takes them for entries: every lookup of a name
 * that came from outside (a function, a faker method, an operator) goes through here or through a Map.
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
