// The console's one script: refreshes the overview's depths and alarms from /console/api/queues every
// few seconds. Values go in with textContent only: nothing read is ever parsed as markup.

(() => {
  const table = document.getElementById("depths");
  if (!table) return;
  const show = (v) => (v === undefined || v === null ? (v === null ? "-" : "?") : String(v));
  const age = (v) => (v === undefined ? "n/a" : v === null ? "-" : `${v} s`);
  const set = (row, field, text) => {
    const cell = row?.querySelector(`[data-field="${field}"]`);
    if (cell) cell.textContent = text;
  };
  const refresh = async () => {
    try {
      const res = await fetch("/console/api/queues", { credentials: "same-origin", cache: "no-store" });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      for (const q of await res.json()) {
        for (const [part, depth] of [
          ["source", q.source],
          ["dlq", q.dlq],
        ]) {
          const row = document.querySelector(`tr[data-queue="${q.id}:${part}"]`);
          set(row, "visible", show(depth.visible));
          set(row, "inFlight", show(depth.inFlight));
          set(row, "delayed", show(depth.delayed));
          set(row, "oldest", age(depth.oldestAgeSeconds));
        }
        const count = document.querySelector(`[data-queue-count="${q.id}:dlq"]`);
        if (count) count.textContent = show(q.dlq.visible);
        for (const a of q.alarms) {
          const row = document.querySelector(`tr[data-alarm="${a.name}"]`);
          set(row, "state", a.state);
          set(row, "condition", a.condition);
          row?.querySelector('[data-field="state"]')?.setAttribute("class", a.state === "ALARM" ? "alarm" : "ok");
        }
      }
      document.getElementById("refreshed").textContent = `(updated ${new Date().toLocaleTimeString()})`;
    } catch (error) {
      document.getElementById("refreshed").textContent = `(refresh failed: ${error.message})`;
    }
  };
  setInterval(refresh, 5000);
})();
