/** Construct and output ids derived from topology ids: `tailoringJobs` + `Queue` → `TailoringJobsQueue`. */
export const outputId = (topologyId: string, kind: string): string =>
  `${topologyId.charAt(0).toUpperCase()}${topologyId.slice(1)}${kind}`;
