/**
 * `structuredClone(value)` for JSON data (plain objects, arrays, strings,
 * numbers, booleans, null: what a CV is once parsed), copied by hand.
 * structuredClone goes through V8's value serializer, about ten times the
 * cost of this walk on a CV's entries, and the local engine copies every
 * entry it keeps (issue 12's tailoring profile).
 *
 * Any other value keeps structuredClone's own handling, whole: a Date, Map,
 * class instance or other object whose prototype is not Object's, an array
 * with holes, a value nested deeper than `MAX_DEPTH` (a cycle). The copy
 * differs from structuredClone's only in what JSON cannot hold: an object
 * reached twice is copied twice here (once there), and an array's properties
 * other than its elements are not copied.
 */
export const copyJson = <T>(value: T): T => {
  try {
    return copy(value, 0) as T;
  } catch (e) {
    if (e !== NOT_JSON) throw e;
    return structuredClone(value);
  }
};

/** Deeper than any CV: past it the value is taken for a cycle and left to structuredClone. */
const MAX_DEPTH = 200;
const NOT_JSON = Symbol("not JSON data");

const copy = (value: unknown, depth: number): unknown => {
  if (typeof value !== "object" || value === null) {
    // Functions and symbols make structuredClone throw: let it.
    if (typeof value === "function" || typeof value === "symbol") throw NOT_JSON;
    return value;
  }
  if (depth > MAX_DEPTH) throw NOT_JSON;
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value) && proto === Array.prototype) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw NOT_JSON;
      out[i] = copy(value[i], depth + 1);
    }
    return out;
  }
  if (proto !== Object.prototype && proto !== null) throw NOT_JSON;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    setOwnKey(out, key, copy((value as Record<string, unknown>)[key], depth + 1));
  }
  return out;
};

/** `out[key] = value`, except that a "__proto__" key (JSON.parse makes one) stays a key: assigning it would set the prototype. */
export const setOwnKey = (out: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === "__proto__")
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
};
