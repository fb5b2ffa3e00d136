/**
 * The one zod every schema of cvpipe is written with: `zod/mini`, the functional API over the same core
 * as classic zod (same checks, same issues, same parse results), which a bundler can tree-shake. Classic
 * zod's methods hang on its classes, so importing it bundles all of it: 443 KiB of each function's
 * bundle, minified, for about 12 KiB of what the schemas use.
 *
 * zod/mini loads no locale of its own; English is loaded here once, so issues read exactly as before
 * ("Too small: expected string to have >=1 characters"). Import it as `import * as z from` this
 * module, never from zod: a namespace import whose members are named statically stays tree-shakable,
 * where a namespace object exported as a value would keep all of zod (and every locale) in the bundle.
 */

import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";
import { fieldMessage } from "./zod-messages.ts";

// The English locale by its own module: through the `locales` namespace every locale is bundled.
// A missing field, a value JSON-encoded twice and an unknown key get messages that say what to send.
config({ ...en(), customError: fieldMessage });

export * from "zod/mini";
