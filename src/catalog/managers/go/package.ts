// Builds Go module components (purl type golang, name = module path) and reconciles go.mod, vendor/modules.txt and binaries.
import type { Component, Location } from '../../../model/index.ts';
import { makeComponent } from '../../../model/index.ts';

/** Collects components by purl so one module found in several files is one component with every location. */
export class GoComponents {
  readonly #byPurl = new Map<string, Component>();

  add(name: string, version: string, location: Location, direct?: boolean): Component {
    const c = makeComponent({ ecosystem: 'golang', name, version, location, ...(direct !== undefined ? { direct } : {}) });
    const seen = this.#byPurl.get(c.purl);
    if (!seen) {
      this.#byPurl.set(c.purl, c);
      return c;
    }
    if (!seen.locations.some((l) => l.path === location.path && l.line === location.line)) seen.locations.push(location);
    if (direct) seen.direct = true;
    return seen;
  }

  list(): Component[] {
    return [...this.#byPurl.values()];
  }
}
