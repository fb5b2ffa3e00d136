/**
 * The export condition under which the packages expose their `testing/` modules (memory ports,
 * fixtures, the eval set, seeded randomness): they are no part of a package's public surface, so a
 * Lambda bundle or another package's code cannot import them (Node and esbuild refuse the path
 * without the condition). Test files, bench scenarios and the processes they start run with it:
 * the test runner and the bench add it to NODE_OPTIONS for their children, the typecheck through
 * tsconfig's customConditions. One file by hand: `NODE_OPTIONS=--conditions=cvpipe-testing node <file>`.
 */
export const TESTING_CONDITION = "cvpipe-testing";

/** `NODE_OPTIONS` with the condition, added once. */
export const withTestingCondition = (nodeOptions: string | undefined): string => {
  const flag = `--conditions=${TESTING_CONDITION}`;
  const options = (nodeOptions ?? "").trim();
  return options.split(/\s+/).includes(flag) ? options : `${options} ${flag}`.trim();
};
