// PEP 508 environment markers, evaluated only as far as a Linux CPython staging container can tell.

// What every Cloud Foundry Linux stack says; anything else (python_version…) is unknown and kept.
const LINUX: Record<string, string> = {
  sys_platform: 'linux',
  'sys.platform': 'linux',
  platform_system: 'Linux',
  os_name: 'posix',
  'os.name': 'posix',
  platform_python_implementation: 'CPython',
  implementation_name: 'cpython',
};

// "sys_platform == 'win32'" or "'win32' != sys_platform"
const ATOM = /^\s*(?:([a-z_.]+)\s*(==|!=)\s*(['"])(.*?)\3|(['"])(.*?)\5\s*(==|!=)\s*([a-z_.]+))\s*$/;

/**
 * false only when the marker is certainly false on Linux CPython (e.g. "sys_platform == 'win32'");
 * true when true or unknown. Parenthesised markers are not split: they count as unknown.
 */
export function mayApplyOnLinux(marker: string | undefined): boolean {
  if (!marker || marker.includes('(')) return true;
  return marker.split(/\s+or\s+/).some((conj) => conj.split(/\s+and\s+/).every((atom) => atomMay(atom)));
}

function atomMay(atom: string): boolean {
  const m = ATOM.exec(atom);
  if (!m) return true;
  const variable = m[1] ?? m[8];
  const op = m[2] ?? m[7];
  const value = m[4] ?? m[6];
  const actual = LINUX[variable];
  if (actual === undefined) return true;
  return op === '==' ? actual === value : actual !== value;
}
