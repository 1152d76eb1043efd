// Where `bpx wrap -o` may write: never over, nor around, what it reads (`--force` deletes the output first).
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import { WrapError } from './wrap-error.ts';

export interface Input {
  path: string;
  /** how the message names it: "the inner buildpack" */
  what: string;
  /** its content is copied into the output, so the output may not lie inside it either */
  copied?: boolean;
}

/** `a` is `b` or lies below it (both real, absolute). */
function within(a: string, b: string): boolean {
  const rel = relative(b, a);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path of p, for a p that may not exist yet: its nearest existing ancestor resolved, the rest appended. */
export async function realpathLoose(p: string): Promise<string> {
  const rest: string[] = [];
  for (let at = p; ; at = dirname(at)) {
    try {
      return join(await realpath(at), ...rest.reverse());
    } catch {
      if (dirname(at) === at) return p;
      rest.push(basename(at));
    }
  }
}

/**
 * Refuses an output that is, or holds, one of the inputs (replacing it would delete them, the only copy of a key
 * included), or that lies inside an input whose content is copied (the copy would contain itself).
 */
export async function checkOutputPlace(out: string, inputs: readonly Input[]): Promise<void> {
  const realOut = await realpathLoose(out);
  for (const input of inputs) {
    const real = await realpathLoose(input.path);
    if (within(real, realOut)) {
      throw new WrapError(
        `${out}: the output ${real === realOut ? 'is' : 'holds'} ${input.what} (${input.path}); choose another output (even --force never replaces an input)`,
      );
    }
    if (input.copied && within(realOut, real)) {
      throw new WrapError(`${out}: the output lies inside ${input.what} (${input.path}); choose an output outside it`);
    }
  }
}
