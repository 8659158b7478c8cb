// Each way a worker can fail, on this runtime: only the failing point fails (with its kind),
// every other point gets its value, and the pool keeps its threads.
import { WorkerPoolMaster } from 'adaptive-sampling';

const out = {};
for (const exportName of ['exits', 'throws', 'throwsInATimer', 'hangs']) {
  const pool = new WorkerPoolMaster({
    module: new URL('./failing.mjs', import.meta.url),
    exportName,
    threads: 2,
    timeoutMs: 1000,
  });
  const settled = await Promise.allSettled(Array.from({ length: 12 }, (_, x) => pool.evaluate(x)));
  const failed = [];
  let wrong = 0;
  settled.forEach((r, x) => {
    if (r.status === 'rejected') failed.push(`${x}:${r.reason.name}`);
    else if (r.value !== x * 10) wrong++;
  });
  out[exportName] = { failed, wrong, after: await pool.evaluate(1) };
  await pool.close();
}
console.log(JSON.stringify(out));
