/**
 * What the official JSON Resume schema says about each object a CV holds, read from the schema itself
 * (@jsonresume/schema's schema.json, the one the validator was generated from): the keys it names, the
 * objects and lists of objects below them, and which keys hold an ISO 8601 date. The unknown-field
 * warnings and the calendar checks walk a CV along this tree; a new schema version changes them both.
 */
import schema from "@jsonresume/schema/schema.json" with { type: "json" };

export interface SchemaObject {
  readonly kind: "object";
  /** The keys the schema names, in its order (the order a tie between suggestions is broken by). */
  readonly keys: readonly string[];
  /** Keys whose values the schema describes as objects or lists (of objects). */
  readonly children: ReadonlyMap<string, SchemaNode>;
  /** Keys holding a date (`#/definitions/iso8601`). */
  readonly dates: readonly string[];
}
export interface SchemaList {
  readonly kind: "list";
  readonly items: SchemaNode;
}
export type SchemaNode = SchemaObject | SchemaList;

interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly items?: JsonSchema;
}

const DATE_REF = "#/definitions/iso8601";

const nodeOf = (s: JsonSchema): SchemaNode | undefined => {
  if (s.type === "array" && s.items) {
    const items = nodeOf(s.items);
    return items ? { kind: "list", items } : undefined;
  }
  if (!s.properties) return undefined;
  const children = new Map<string, SchemaNode>();
  const dates: string[] = [];
  for (const [key, property] of Object.entries(s.properties)) {
    if (property.$ref === DATE_REF) dates.push(key);
    const child = nodeOf(property);
    if (child) children.set(key, child);
  }
  return { kind: "object", keys: Object.keys(s.properties), children, dates };
};

/** The CV's root object as the schema describes it. */
export const RESUME_TREE = nodeOf(schema as JsonSchema) as SchemaObject;
