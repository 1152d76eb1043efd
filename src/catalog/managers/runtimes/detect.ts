// Runtime versions read from files their distributions carry (headers, the JDK `release` file, go/VERSION), never by running them.
export interface RuntimeRule {
  /** purl name: pkg:generic/<name>@<version> */
  name: string;
  /** which file identifies the runtime; m[1] is the runtime's install folder */
  file: RegExp;
  /** binary files are only scanned for a version string */
  binary?: boolean;
  /** the version from the file (and its path); undefined when the file does not say */
  version(text: string, file: string): string | undefined;
}

const define = (text: string, name: string): string | undefined =>
  new RegExp(`^#\\s*define\\s+${name}\\s+"?([^"\\s]+)"?`, 'm').exec(text)?.[1];
const defineNums = (text: string, ...names: string[]): string | undefined => {
  const parts = names.map((n) => define(text, n));
  return parts.every((p) => p !== undefined && /^\d+$/.test(p)) ? parts.join('.') : undefined;
};
/** KEY="value" lines of the JDK's `release` file. */
const releaseField = (text: string, key: string): string | undefined => new RegExp(`^${key}="?([^"\\n]*)"?\\s*$`, 'm').exec(text)?.[1];

export const RULES: RuntimeRule[] = [
  {
    // node-v22.12.0-linux-x64/include/node/node_version.h: #define NODE_MAJOR_VERSION 22
    name: 'node',
    file: /(^|\/)include\/node\/node_version\.h$/,
    version: (t) => defineNums(t, 'NODE_MAJOR_VERSION', 'NODE_MINOR_VERSION', 'NODE_PATCH_VERSION'),
  },
  {
    // python/include/python3.12/patchlevel.h: #define PY_VERSION "3.12.8"
    name: 'python',
    file: /(^|\/)include\/python[23]\.\d+[a-z]*\/patchlevel\.h$/,
    version: (t) => define(t, 'PY_VERSION'),
  },
  {
    // ruby/lib/ruby/3.3.0/x86_64-linux/rbconfig.rb: CONFIG["RUBY_PROGRAM_VERSION"] = "3.3.6" (version.h only holds the API version)
    name: 'ruby',
    file: /(^|\/)lib\/ruby\/\d+\.\d+\.\d+\/[^/]+\/rbconfig\.rb$/,
    version: (t) => /CONFIG\["RUBY_PROGRAM_VERSION"\]\s*=\s*"([^"]+)"/.exec(t)?.[1],
  },
  {
    // <jdk or jre>/release: JAVA_VERSION="17.0.13"
    name: 'java',
    file: /(^|\/)release$/,
    version: (t) => (releaseField(t, 'JAVA_VERSION') && /^JAVA_VERSION=/m.test(t) ? releaseField(t, 'JAVA_VERSION') : undefined),
  },
  {
    // go/VERSION: "go1.22.5" on the first line (newer releases add "time …" below)
    name: 'go',
    file: /(^|\/)go\/VERSION$/,
    version: (t) => /^go(\d+\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?)\s*$/m.exec(t.split('\n')[0])?.[1],
  },
  {
    // dotnet/shared/Microsoft.NETCore.App/8.0.11/Microsoft.NETCore.App.deps.json: the version is the folder name
    name: 'dotnet-runtime',
    file: /(^|\/)shared\/Microsoft\.NETCore\.App\/(\d+\.\d+\.\d+[^/]*)\/Microsoft\.NETCore\.App\.deps\.json$/,
    version: (_t, f) => /Microsoft\.NETCore\.App\/([^/]+)\//.exec(f)?.[1],
  },
  {
    name: 'aspnetcore-runtime',
    file: /(^|\/)shared\/Microsoft\.AspNetCore\.App\/(\d+\.\d+\.\d+[^/]*)\/Microsoft\.AspNetCore\.App\.deps\.json$/,
    version: (_t, f) => /Microsoft\.AspNetCore\.App\/([^/]+)\//.exec(f)?.[1],
  },
  {
    // php/include/php/main/php_version.h: #define PHP_VERSION "8.3.14"
    name: 'php',
    file: /(^|\/)include\/php\/main\/php_version\.h$/,
    version: (t) => define(t, 'PHP_VERSION'),
  },
  {
    // httpd/include/ap_release.h: AP_SERVER_MAJORVERSION_NUMBER 2 …
    name: 'httpd',
    file: /(^|\/)include\/ap_release\.h$/,
    version: (t) => defineNums(t, 'AP_SERVER_MAJORVERSION_NUMBER', 'AP_SERVER_MINORVERSION_NUMBER', 'AP_SERVER_PATCHLEVEL_NUMBER'),
  },
  {
    // nginx/sbin/nginx: the binary carries "nginx/1.27.3" (NGINX_VER); read as bytes, never executed
    name: 'nginx',
    file: /(^|\/)nginx\/sbin\/nginx$/,
    binary: true,
    version: (t) => /nginx\/(\d+\.\d+\.\d+)\x00/.exec(t)?.[1] ?? /nginx\/(\d+\.\d+\.\d+)/.exec(t)?.[1],
  },
];

/** Installed trees of package managers may carry copies of these headers: they are not runtimes. */
const NOT_RUNTIME = /(^|\/)(node_modules|site-packages|vendor|\.node-gyp|node-gyp)\//;

export function ruleFor(file: string): RuntimeRule | undefined {
  if (NOT_RUNTIME.test(file)) return undefined;
  return RULES.find((r) => r.file.test(file));
}

/**
 * The runtimes manager's file pattern: any rule's file, outside installed package trees (exactly the files ruleFor
 * finds a rule for). One RegExp, so that the walk reads off it the names of those files (node_version.h, release, …).
 */
export const RUNTIME_FILE = { match: new RegExp(RULES.map((r) => r.file.source).join('|')), not: NOT_RUNTIME };

/** The runtime names this manager knows, for the docs. */
export const runtimeNames = RULES.map((r) => r.name);
