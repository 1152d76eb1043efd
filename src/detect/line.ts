// The enriched detect line `nodejs-buildpack=v1.9.4 node=22.23.1 npm=10.9.2 express=4.21.2`: one line, at most 255 characters
// (the Cloud Controller column behind `cf app`'s detected_buildpack).

export const DETECT_LINE_LIMIT = 255;

export interface Tag {
  name: string;
  value: string;
}

/** Whitespace, `=` in names and control characters would break the one-line, space-separated form. */
function clean(s: string): string {
  return s.replace(/[\s\u0000-\u001f\u007f]+/g, '_');
}

/** The name a tag has on the line: what would break the one-line, space-separated form replaced by `_`. */
export function tagName(name: string): string {
  return clean(name).replace(/=/g, '_');
}

/** Each tag name once, the first wins (the order is the caller's): what the line shows and config.yml records agree. */
export function uniqueTags(tags: readonly Tag[]): Tag[] {
  const seen = new Set<string>();
  return tags.filter((t) => {
    const n = tagName(t.name);
    if (!n || seen.has(n)) return false;
    seen.add(n);
    return true;
  });
}

/**
 * Joins the head and the tags in order, skipping a tag whose name is already present (first wins) and any tag
 * that would push the line past the limit; the head is cut to the limit if it alone is too long.
 */
export function composeLine(head: string, tags: readonly Tag[], limit = DETECT_LINE_LIMIT): string {
  // The head may already be a composed line (`name=v1 node=20.1.0`): keep its spaces, drop what would break the line.
  let line = head
    .replace(/[\u0000-\u001f\u007f]+/g, '_')
    .trim()
    .slice(0, limit);
  const seen = new Set<string>(line.split(' ').map((part) => part.split('=')[0]));
  for (const t of tags) {
    const name = tagName(t.name);
    if (!name || seen.has(name)) continue;
    const part = t.value ? `${name}=${clean(t.value)}` : name;
    if (line.length + 1 + part.length > limit) continue;
    seen.add(name);
    line = line ? `${line} ${part}` : part;
  }
  return line;
}

/** Frameworks shown before other direct dependencies, most telling first (names as each ecosystem spells them). */
const FRAMEWORKS = [
  'next',
  'express',
  '@nestjs/core',
  'fastify',
  'koa',
  '@hapi/hapi',
  'nuxt',
  '@remix-run/node',
  'react',
  'vue',
  '@angular/core',
  'django',
  'flask',
  'fastapi',
  'starlette',
  'gunicorn',
  'uvicorn',
  'rails',
  'sinatra',
  'puma',
  'rack',
  'org.springframework.boot:spring-boot',
  'org.springframework:spring-core',
  'io.quarkus:quarkus-core',
  'io.micronaut:micronaut-core',
  'laravel/framework',
  'symfony/http-kernel',
  'slim/slim',
  'github.com/gin-gonic/gin',
  'github.com/labstack/echo/v4',
  'github.com/gofiber/fiber/v2',
  'github.com/gorilla/mux',
  'actix-web',
  'axum',
  'rocket',
  'Microsoft.AspNetCore.App',
];
const RANK = new Map(FRAMEWORKS.map((n, i) => [n.toLowerCase(), i]));

/** Orders dependency tags: known frameworks first (in FRAMEWORKS order), then the rest by name. */
export function rankDependencies(tags: readonly Tag[]): Tag[] {
  return [...tags].sort((a, b) => {
    const ra = RANK.get(a.name.toLowerCase()) ?? Infinity;
    const rb = RANK.get(b.name.toLowerCase()) ?? Infinity;
    if (ra !== rb) return ra < rb ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}
