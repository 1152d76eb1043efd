// RubyGems identity: purl type gem with the platform qualifier (https://github.com/package-url/purl-spec, gem).
import type { Component, ComponentInput } from '../../../model/index.ts';
import { makeComponent, purlFor } from '../../../model/index.ts';

/** '1.10.10-java' → ['1.10.10', 'java']; '1.13.8-x86_64-linux' → ['1.13.8', 'x86_64-linux']. Gem versions have no '-'. */
export function splitPlatform(v: string): [string, string | undefined] {
  const i = v.indexOf('-');
  return i < 0 ? [v, undefined] : [v.slice(0, i), v.slice(i + 1)];
}

/** A platform a Linux staging container cannot run (so Bundler there never installs that variant). */
export function foreignPlatform(platform: string | undefined): boolean {
  return !!platform && platform !== 'ruby' && !/linux/.test(platform);
}

export function gemPurl(name: string, version: string, platform?: string): string {
  return purlFor('gem', name, version, platform && platform !== 'ruby' ? { platform } : undefined);
}

/** A gem's component: the platform becomes the purl's `platform` qualifier (none for `ruby`). */
export interface GemInput extends Omit<ComponentInput, 'ecosystem' | 'kind' | 'qualifiers'> {
  platform?: string;
}

export function gemComponent(input: GemInput): Component {
  const { platform, ...rest } = input;
  return makeComponent({ ecosystem: 'gem', ...rest, ...(platform && platform !== 'ruby' ? { qualifiers: { platform } } : {}) });
}
