import * as z from "@cvpipe/core/contracts/zod";
import { functions, SETTING } from "@cvpipe/core/topology";
import { intSetting, resourceSettings } from "./settings.ts";

/**
 * What a suppression record can be late for: a tailor invocation and an analytics batch that read "none" just
 * before it was written run at most their timeouts on, and each read is cached for up to 10 s; a minute more.
 */
export const DEFAULT_DELETION_GRACE_SECONDS =
  functions.tailor.timeoutSeconds + functions.analytics.timeoutSeconds + 2 * 10 + 60;

export const EraserConfig = z.object({
  ...resourceSettings("eraser"),
  /** 0 completes a request in its first pass: for a stack with no work in flight (the tests). */
  [SETTING.deletionGraceSeconds]: intSetting(DEFAULT_DELETION_GRACE_SECONDS, z.gte(0), z.lte(3_600)),
});

export type EraserConfig = z.output<typeof EraserConfig>;
