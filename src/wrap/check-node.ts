// The Node binary a wrapper ships (`--node`): it must run here and be a Node the bundle targets (esbuild target node20).
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { describeFsError } from '../platform/fs-error.ts';
import { WrapError } from './wrap-error.ts';

/** The oldest Node major the bundle runs on (scripts/build.mjs target node20, package.json engines). */
export const MIN_NODE_MAJOR = 20;

/** Runs `NODE --version` (empty environment, 10 s) and expects `vMAJOR.MINOR.PATCH` with MAJOR ≥ 20; returns the version. */
export async function checkNode(node: string): Promise<string> {
  const st = await stat(node).catch((err: unknown) => {
    throw new WrapError(`${node}: ${describeFsError(err)}`);
  });
  if (!st.isFile()) throw new WrapError(`${node}: not a file (the Node binary to ship)`);
  const out = await new Promise<string>((ok, fail) =>
    execFile(node, ['--version'], { env: {}, timeout: 10_000, maxBuffer: 64 * 1024, windowsHide: true }, (err, stdout) => {
      if (err)
        fail(
          new WrapError(
            `${node}: does not run as Node (${err.killed ? '`--version` timed out' : (err as NodeJS.ErrnoException).code === 'EACCES' ? 'the file is not executable' : `\`--version\` failed: ${firstLine(err.message)}`})`,
          ),
        );
      else ok(String(stdout));
    }),
  );
  const m = /^v(\d+)\.(\d+)\.(\d+)\s*$/.exec(out);
  if (!m)
    throw new WrapError(`${node}: not a Node binary (\`--version\` printed ${JSON.stringify(firstLine(out))}, not vMAJOR.MINOR.PATCH)`);
  if (Number(m[1]) < MIN_NODE_MAJOR)
    throw new WrapError(`${node}: Node ${out.trim()} is too old; bpx needs Node ${MIN_NODE_MAJOR} or later`);
  return out.trim();
}

function firstLine(s: string): string {
  const line = s.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
