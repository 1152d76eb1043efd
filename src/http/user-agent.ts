// The User-Agent bpx sends: "bpx/<package version> node/<version>".
import { VERSION } from '../version.ts';

export const USER_AGENT = `bpx/${VERSION} node/${process.versions.node}`;
