/**
 * What a process uses, read from /proc (Linux): resident memory of a process
 * tree, CPU seconds of a process and of each of its threads. For the stack
 * process (stack-process.ts) and the benchmarks that measure it.
 */
import { readdirSync, readFileSync } from "node:fs";

/** VmRSS of one process, in bytes (0 if it is gone). */
const processRss = (pid: number): number => {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};

const childPids = (pid: number): number[] => {
  const out: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return out;
};

/** RSS of a process tree, in bytes. */
export const treeRss = (pid: number): number =>
  processRss(pid) + childPids(pid).reduce((sum, child) => sum + treeRss(child), 0);

/** CPU seconds (user + system) a process has used, all its threads; 0 if it is gone. */
export const processCpuSeconds = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};

/** CPU seconds per thread of a process, by thread name and id. */
export const threadCpuSeconds = (pid: number): Array<{ tid: number; name: string; seconds: number }> => {
  const out: Array<{ tid: number; name: string; seconds: number }> = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.push({ tid: Number(task), name, seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // ended
    }
  }
  return out;
};
