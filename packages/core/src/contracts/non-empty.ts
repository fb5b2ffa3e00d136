import * as z from "./zod.ts";

/** A string with at least one character: the ids and names a queue message carries. */
export const nonEmpty = () => z.string().check(z.minLength(1));
