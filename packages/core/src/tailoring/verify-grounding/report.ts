/** How a check speaks: `Report` a claim the source does not support at a path, `Mark` a path as checked. */
export type Report = (path: string, text: string, reason: string) => void;
export type Mark = (path: string) => void;
