// Whether a path exists, links followed (Go's os.Stat without an error, as the CF builder asks).
import { access, constants } from 'node:fs/promises';

export async function exists(p: string): Promise<boolean> {
  try {
    await access(p, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
