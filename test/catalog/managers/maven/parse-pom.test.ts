// Tests for pom.xml: the real corpus poms (properties, parents in the tree, dependencyManagement, imported BOMs) and edge cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { maven } from '../../../../src/catalog/managers/maven/index.ts';
import { parsePom, effectiveDependencies, interpolate, mavenScope } from '../../../../src/catalog/managers/maven/parse-pom.ts';
import { scanContextForDir } from '../../../../src/catalog/context.ts';
import { parsePurl } from '../../../../src/model/index.ts';
import { needShared } from '../../../shared.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const corpus = path.resolve(repo, '..', 'shared', 'corpus');
const have = existsSync(corpus);
const counts = have ? JSON.parse(readFileSync(path.join(corpus, 'expected-counts.json'), 'utf8')).files : {};

const ROOTS = [
  'maven/apache-maven',
  'maven/spring-projects-spring-petclinic/2019-boot-2.1.4',
  'maven/spring-projects-spring-petclinic/head',
  'maven-dependency-tree/GoogleCloudDataproc-hadoop-connectors',
];

for (const root of ROOTS) {
  test(`corpus ${root}: every declared dependency is a component or a located warning; purl type maven`, async () => {
    if (!needShared(corpus)) return;
    const { ctx } = await scanContextForDir(path.join(corpus, 'lockfiles', root), { includeDev: true });
    const paths = ctx.files.map((f) => f.path).filter((p) => maven.matches(p));
    assert.ok(paths.length > 0);
    const r = await maven.parse(paths, ctx);
    for (const p of paths) {
      const exp = counts[`lockfiles/${root}/${p}`];
      const mine = r.components.filter((c) => c.locations.some((l) => l.path === p));
      const skipped = r.issues.filter((i) => i.path === p && i.severity === 'warning');
      assert.is(mine.length + skipped.length, exp.dependencies, p);
      const lines = readFileSync(path.join(corpus, 'lockfiles', root, p), 'utf8').split('\n');
      for (const c of mine) {
        assert.is(parsePurl(c.purl).type, 'maven');
        assert.is(c.direct, true);
        const line = c.locations[0].line!;
        assert.ok(lines[line - 1].includes('<dependency>'), `${c.name} at ${p}:${line}`);
        assert.ok(
          lines
            .slice(line, line + 3)
            .join('\n')
            .includes(`<artifactId>${parsePurl(c.purl).name.split(':')[1]}</artifactId>`),
        );
      }
      for (const i of skipped) assert.ok(lines[i.line! - 1].includes('<dependency>'));
    }
    assert.equal(
      r.issues.filter((i) => i.severity === 'error'),
      [],
    );
  });
}

test('apache maven: versions from a grandparent dependencyManagement with ${project.version} of the child', async () => {
  if (!needShared(corpus)) return;
  const { ctx } = await scanContextForDir(path.join(corpus, 'lockfiles/maven/apache-maven'));
  const r = await maven.parse(['api/maven-api-core/pom.xml', 'api/pom.xml', 'pom.xml'], ctx);
  assert.ok(r.components.some((c) => c.purl === 'pkg:maven/org.apache.maven/maven-api-model@4.1.0-SNAPSHOT'));
  // junit comes from an imported BOM: not resolvable offline, and test-scoped (left out by default)
  assert.not.ok(r.components.some((c) => c.name.startsWith('org.junit')));
});

test('petclinic 2019: webjars versions from <properties>; spring-boot versions from a parent outside the tree are warnings', () => {
  if (!needShared(corpus)) return;
  const rel = 'lockfiles/maven/spring-projects-spring-petclinic/2019-boot-2.1.4/pom.xml';
  const { pom } = parsePom(readFileSync(path.join(corpus, rel), 'utf8'), 'pom.xml');
  assert.is(Object.keys(pom!.properties).length, counts[rel].properties);
  const r = effectiveDependencies([pom!], false);
  assert.ok(r.components.some((c) => c.purl === 'pkg:maven/org.webjars/bootstrap@3.3.6'));
  assert.ok(
    r.unresolved.some((u) =>
      /spring-boot-starter-web: version comes from parent org\.springframework\.boot:spring-boot-starter-parent:2\.1\.4\.RELEASE/.test(
        u.issue.message,
      ),
    ),
  );
});

test('properties: nested, recursive and cyclic; scopes; type and classifier qualifiers', () => {
  const text = `<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <groupId>com.example</groupId><artifactId>app</artifactId><version>1.0</version>
  <properties>
    <a.version>\${b.version}</a.version>
    <b.version>2.10</b.version>
    <loop>\${loop}</loop>
  </properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>g</groupId><artifactId>managed</artifactId><version>3.0</version><scope>runtime</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <!-- <dependency><groupId>x</groupId><artifactId>commented</artifactId><version>1</version></dependency> -->
    <dependency><groupId>g</groupId><artifactId>nested</artifactId><version>\${a.version}</version></dependency>
    <dependency><groupId>\${project.groupId}</groupId><artifactId>self-mod</artifactId><version>\${project.version}</version><type>pom</type></dependency>
    <dependency><groupId>g</groupId><artifactId>managed</artifactId></dependency>
    <dependency><groupId>g</groupId><artifactId>cyclic</artifactId><version>\${loop}</version></dependency>
    <dependency><groupId>g</groupId><artifactId>servlet</artifactId><version>4.0.1</version><scope>provided</scope></dependency>
    <dependency><groupId>g</groupId><artifactId>opt</artifactId><version>1</version><optional>true</optional><classifier>linux</classifier></dependency>
    <dependency><groupId>g</groupId><artifactId>junit</artifactId><version>4</version><scope>test</scope></dependency>
  </dependencies>
  <build><plugins><plugin><dependencies><dependency><groupId>p</groupId><artifactId>plugdep</artifactId><version>1</version></dependency></dependencies></plugin></plugins></build>
</project>`;
  const { pom, issues } = parsePom(text, 'app/pom.xml');
  assert.equal(issues, []);
  const r = effectiveDependencies([pom!], false);
  assert.equal(
    r.components.map((c) => `${c.purl} ${c.scope} @${c.locations[0].line}`),
    [
      'pkg:maven/g/nested@2.10 required @14',
      'pkg:maven/com.example/self-mod@1.0?type=pom required @15',
      'pkg:maven/g/managed@3.0 required @16',
      'pkg:maven/g/servlet@4.0.1 optional @18',
      'pkg:maven/g/opt@1?classifier=linux optional @19',
    ],
  );
  assert.equal(r.issues, []);
  assert.equal(
    r.unresolved.map((u) => `${u.name}@${u.issue.line}`),
    ['g:cyclic@17'],
  );
  assert.is(effectiveDependencies([pom!], true).components.at(-1)!.scope, 'dev');
  assert.is(
    interpolate('${x}-${y}', (n) => ({ x: '${y}', y: '${x}' })[n]),
    '${x}-${y}',
  );
  assert.is(mavenScope('system', undefined), 'optional');
});

test('not XML / not a pom: one located error', () => {
  const r = parsePom('<project><dependencies><dependency>', 'pom.xml');
  assert.is(r.issues.length, 1);
  assert.is(r.issues[0].severity, 'error');
  assert.is(parsePom('<settings/>', 'pom.xml').issues[0].message, 'no <project> element: not a pom.xml');
});

test('maven.matches: exactly the files it reads', () => {
  for (const p of ['pom.xml', 'app/module/pom.xml', 'app/WEB-INF/lib/a-1.jar', 'app/BOOT-INF/lib/b-2.jar', 'app/app.war', 'lib/x.JAR'])
    assert.ok(maven.matches(p), p);
  for (const p of [
    'app/pom.xml.bak',
    'app/build.gradle',
    'app/.java-buildpack/open_jdk_jre/lib/jrt-fs.jar',
    'deps/0/jdk/lib/x.jar',
    'app/x.jarx',
  ])
    assert.not.ok(maven.matches(p), p);
});

test.run();
