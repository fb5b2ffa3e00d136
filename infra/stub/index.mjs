// Stand-in bundle for synthesis with -c skipBundling=true (tests, template checks). Never deployed.
export const handler = async () => {
  throw new Error("cvpipe stub handler: this stack was synthesised with skipBundling=true");
};
