// The function of examples/distributed.ts, as an ES module a worker process can load:
// x + a²/(a² + x²), a = 0.01, after 1 ms (a stand-in for a real computation).
export default function peak(x) {
  return new Promise((resolve) => setTimeout(() => resolve(x + 1e-4 / (1e-4 + x * x)), 1));
}
