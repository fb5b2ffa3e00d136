/**
 * Where a library CV's bodies are in the CVs bucket. Its own module: the eraser removes them by this
 * prefix and needs none of cv-library.ts (the CV schemas, the text CV parser, the JSON Resume validator).
 */
import { sha256Hex } from "@cvpipe/core/contracts/canonical-json";
import { s3Key } from "@cvpipe/core/keys";
import type { CvOwner } from "@cvpipe/core/ports/cv-store";

/** Where the bodies of a CV's versions are (and nothing else): `cvs/<tenant>/<hash of user>/<cvId>/`. */
export const cvBodyPrefix = (owner: CvOwner, cvId: string): string =>
  `${s3Key("cvs", owner.tenantId, sha256Hex(owner.userId).slice(0, 32), cvId)}/`;
