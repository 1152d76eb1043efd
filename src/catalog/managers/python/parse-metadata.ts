// Core metadata of installed distributions (https://packaging.python.org/en/latest/specifications/core-metadata/):
// `*.dist-info/METADATA` and `*.egg-info/PKG-INFO`, an RFC 822 header block.
import type { Issue, License } from '../../../model/index.ts';
import { licensesOf } from '../../licenses.ts';
import { mayApplyOnLinux } from './markers.ts';

export interface InstalledDist {
  name: string;
  version: string;
  licenses: License[];
  /** PEP 503-unnormalised names from Requires-Dist that apply without an extra on Linux. */
  requires: string[];
  path: string;
  line: number;
}

/** Header fields in order; continuation lines (leading whitespace) are folded into the field above. */
export function readHeaders(text: string): { key: string; value: string; line: number }[] {
  const out: { key: string; value: string; line: number }[] = [];
  // Only the header block is split: the body (the long description) can be most of the file.
  const end = text.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? text : text.slice(0, end)).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l === '') break; // the body (long description) starts after the first blank line
    if (/^[ \t]/.test(l) && out.length) {
      out[out.length - 1].value += '\n' + l.trim();
      continue;
    }
    const c = l.indexOf(':');
    if (c <= 0) continue;
    out.push({ key: l.slice(0, c).trim().toLowerCase(), value: l.slice(c + 1).trim(), line: i + 1 });
  }
  return out;
}

// 'License :: OSI Approved :: MIT License' → 'MIT License' (spdx-correct takes it from there).
const CLASSIFIER_SPDX: Record<string, string> = {
  'Apache Software License': 'Apache-2.0',
  'MIT License': 'MIT',
  'Python Software Foundation License': 'PSF-2.0',
  'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'ISC License (ISCL)': 'ISC',
  'GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'The Unlicense (Unlicense)': 'Unlicense',
};

/**
 * Reads one METADATA/PKG-INFO. Licenses: License-Expression (PEP 639) when present, else a one-line
 * License field that is not UNKNOWN, else the `License ::` classifiers. A License field holding a whole
 * license text is not a declaration and is ignored. Returns an issue when Name or Version is missing.
 */
export function parseMetadata(text: string, file: string): { dist?: InstalledDist; issues: Issue[] } {
  const h = readHeaders(text);
  const get = (k: string) => h.find((f) => f.key === k);
  const name = get('name');
  const version = get('version');
  if (!name?.value || !version?.value) {
    return { issues: [{ path: file, line: 1, severity: 'warning', message: 'installed metadata without Name or Version: skipped' }] };
  }
  let licenses: License[] = [];
  const expr = get('license-expression')?.value;
  const lic = get('license')?.value;
  if (expr) licenses = licensesOf([expr]);
  else if (lic && lic !== 'UNKNOWN' && !lic.includes('\n') && lic.length <= 120) licenses = licensesOf([lic]);
  else {
    const classifiers = h
      .filter((f) => f.key === 'classifier' && f.value.startsWith('License ::') && f.value !== 'License :: OSI Approved')
      .map((f) => f.value.split('::').pop()!.trim());
    licenses = licensesOf(classifiers).map((l) => (CLASSIFIER_SPDX[l.raw] ? { raw: l.raw, spdx: CLASSIFIER_SPDX[l.raw] } : l));
  }
  const requires: string[] = [];
  for (const f of h) {
    if (f.key !== 'requires-dist') continue;
    const [req, marker] = f.value.split(';', 2);
    if (marker && /\bextra\s*==/.test(marker)) continue;
    if (!mayApplyOnLinux(marker?.trim())) continue;
    const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
    if (m) requires.push(m[1]);
  }
  return { dist: { name: name.value, version: version.value, licenses, requires, path: file, line: name.line }, issues: [] };
}
