// PyPI package identity: PEP 503 name normalisation and the one place python components are built.
import type { Component, ComponentInput } from '../../../model/index.ts';
import { makeComponent, purlFor } from '../../../model/index.ts';
import { LineIndex } from '../../line-index.ts';

/** PEP 503: 'Foo.Bar_baz' → 'foo-bar-baz'; used to match names across files, never to rename a component. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** A PyPI component: version '' when the file pins none (an unpinned requirement); qualifiers vcs_url / download_url for direct references. */
export type PyInput = Omit<ComponentInput, 'ecosystem' | 'kind'>;

export function pypiComponent(input: PyInput): Component {
  return makeComponent({ ecosystem: 'pypi', ...input });
}

/** 1-based line of an offset in `text` (C's shared LineIndex, built once per file). */
export function lineIndex(text: string): (offset: number) => number {
  const idx = new LineIndex(text);
  return (offset) => idx.lineAt(offset);
}

/** The purl a pypi component of this name and version gets (for dependsOn edges). */
export function purlOfPypi(name: string, version: string): string {
  return purlFor('pypi', name, version);
}
