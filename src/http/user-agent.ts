// The User-Agent bpx sends: "bpx/<package version> node/<version>".
import pkg from '../../package.json' with { type: 'json' };

export const USER_AGENT = `bpx/${pkg.version} node/${process.versions.node}`;
