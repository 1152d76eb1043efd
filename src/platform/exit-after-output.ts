// Ending a process once what it wrote to stdout and stderr is out. Writes to a pipe are asynchronous on POSIX, and
// process.exit() drops what the reader has not taken yet: a staging log cut short when the builder reads it late.

/** Exits with `code` as soon as stdout and stderr hold nothing unwritten (at once when they hold nothing). */
export function exitAfterOutput(code: number): void {
  process.exitCode = code;
  let left = 2;
  const one = (): void => {
    if (--left === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    // an empty write's callback comes once everything written before it is out (or cannot be: a closed pipe)
    if (stream.writableLength === 0) one();
    else stream.write('', () => one());
  }
}
