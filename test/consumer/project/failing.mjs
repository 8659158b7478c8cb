// Functions that fail in each way a worker can: x * 10 elsewhere.
export const exits = (x) => {
  if (x === 7) process.exit(1);
  return x * 10;
};
export const throws = (x) => {
  if (x === 5) throw new RangeError(`no reading at ${x}`);
  return x * 10;
};
export const throwsInATimer = (x) => {
  if (x !== 3) return x * 10;
  return new Promise(() => {
    setTimeout(() => {
      throw new Error('uncaught in a timer');
    }, 1);
  });
};
export const hangs = (x) => {
  if (x === 2) for (;;);
  return x * 10;
};
