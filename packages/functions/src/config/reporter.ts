import { isEmailAddress } from "@cvpipe/core/contracts/email-address";
import * as z from "@cvpipe/core/contracts/zod";
import { SETTING } from "@cvpipe/core/topology";
import { resourceSettings } from "./settings.ts";

/** One address by core's rule, the one the CDK app's synth checks too. */
const emailAddress = z.string().check(z.trim(), z.refine(isEmailAddress, "is not an email address"));

const emailList = z.pipe(
  z.pipe(
    z.string().check(z.trim(), z.minLength(1, "is required (comma-separated email addresses)")),
    z.transform((raw) =>
      raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ),
  z.array(emailAddress).check(z.minLength(1)),
);

export const ReporterConfig = z.object({
  ...resourceSettings("reporter"),
  [SETTING.reportRecipients]: emailList,
  [SETTING.reportSender]: emailAddress,
});

export type ReporterConfig = z.output<typeof ReporterConfig>;
