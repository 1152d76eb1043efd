// bpx fleet: the inventory of droplets (SQLite by default, PostgreSQL when shared): add, sync, query, buildpacks, restage, scan, export.
import type { Command } from '../io.ts';
import { CliError } from '../io.ts';

const help = `Usage: bpx fleet <add|sync|query|buildpacks|restage|scan|export> [options]

Keeps an inventory of droplets, their buildpacks and components, so that fleet-wide questions are answered in
milliseconds without opening a droplet again (docs/fleet.md). Every subcommand takes:
  --db URL        the inventory: a file path or sqlite:PATH (SQLite, created when missing), or
                  postgres://user@host/db (PostgreSQL, shared by several jobs). Default: $BPX_FLEET_DB,
                  else ./bpx-fleet.db. The schema is migrated when the inventory is opened.
  --json          print JSON; otherwise a table on a terminal, tab-separated lines elsewhere
  -h, --help      this text

bpx fleet add TARGET... [--app NAME] [--space NAME] [--org NAME] [--key PUB.pem]
  Adds droplet tarballs, folders searched recursively for droplets, unpacked droplets and SBOM files
  (*.cdx.json, *.spdx.json). Reads the SBOM bpx wrote in a droplet, or captures the droplet when it has
  none (SBOM "captured"). --key verifies each droplet's signed SBOM and stores the verdict (verified,
  missing, invalid: <why>); an SBOM that does not verify is not trusted and the content is captured.
  Names: --app/--space/--org (for every target given), else VCAP_APPLICATION fields in a result.json
  beside the droplet, else the app the SBOM names, else the file name (droplet.tgz: its folder's name).
  Buildpack keys and the detect line come from the builder's result.json beside the droplet.
  A droplet already in the inventory (same digest) changes nothing; a new droplet of an app becomes
  its current one and the old one is kept as history. Each droplet is stored in one transaction; one
  that cannot be read is recorded with its reason and the others go on.
  Exit status: 0 all added or unchanged; 1 some failed (or failed a signature check); 2 usage.

bpx fleet sync --api URL [--org NAME ...] [--space [ORG/]NAME ...] [--label-selector SEL] [--concurrency N]
               [--key PUB.pem] [--dry-run] [--token-env VAR | --client-id ID [--client-secret-env VAR]]
  Fills the inventory from a foundation through the Cloud Controller v3 API: lists the apps (with their
  spaces and orgs, 5,000 a page), reads each new or changed app's current droplet, and downloads the
  droplets the inventory does not hold (same guid and checksum: never again), --concurrency at once
  (default 4), streamed into the SBOM reader and checked against the API's checksum. The blobstore
  redirect is followed without the Authorization header. Docker apps are listed, not downloaded.
  Auth: --token-env VAR (a token, as cf oauth-token prints), or a UAA client (--client-id, secret in
  the variable --client-secret-env names, default ${'$'}BPX_CF_CLIENT_SECRET; client_credentials), else
  the cf CLI's login ($CF_HOME/.cf/config.json, refreshed when expired). A 401 refreshes once.
  429 and 5xx are retried (Retry-After honoured); a droplet that fails is recorded and the sync goes on.
  http:// only to loopback unless --insecure; --cacert FILE trusts another CA. Without a terminal, a
  progress line every --progress-every droplets (default 25).
  Exit status: 0 all synced; 1 some droplets failed (or failed a signature check), or the API or UAA
  refused; 2 usage.

bpx fleet restage [--stack NAME] [--buildpack NAME ...] [--current NAME=VERSION ...] [--csv]
  The apps to restage, grouped by org and space with the command to run: each app whose current droplet
  was staged with an older version of a buildpack than the admin buildpack installed under the same name
  and stack (the version in its file name, as fleet sync listed it, or --current), or whose version is
  unknown, or (--stack) that runs on another stack. The staged version is what bpx recorded in the
  droplet, else the API's droplet buildpacks[].version; each version says where it came from.

bpx fleet query --package PURL [--range RANGE] [--all-droplets]
  Which apps' current droplets (--all-droplets: every droplet, history too) ship the package in the range,
  with org/space/app, version, scope and the paths in the droplet. PURL has no version (pkg:npm/bcrypt,
  pkg:pypi/django, pkg:maven/com.fasterxml.jackson.core/jackson-databind); RANGE is in the ecosystem's
  own syntax, as bpx query takes it ("<5.0.1", ">=1.9,<2.0", "~> 2.2", "[2.13.0,2.13.4.1)").

bpx fleet buildpacks [--outdated NAME=VERSION ...]
  Which buildpacks (position, key, name, version, detect line) staged each app's current droplet. With
  --outdated (repeatable; NAME is the key or config.yml name), only the apps staged with an older version
  of that buildpack, or one that reported no version: the restage list.

bpx fleet scan [--osv DIR] [--nvd DIR]... [--fail-on SEVERITY] [--new] [--allow-empty-db]
  Matches every component in the inventory against an OSV database (as bpx scan: a folder of OSV records
  or of <Ecosystem>/all.zip files, read from the prebuilt index bpx db build writes while it is fresh) and/or, with --nvd, the runtimes (node, python, JDK, nginx...) against
  NVD data by CPE (as bpx scan --nvd; the same CVE from both is one finding), at least one of the two,
  without opening a droplet; stores each finding with the databases that reported it (osv, nvd,
  nodejs-security-wg) and the scan runs that first and last saw it, and prints the findings per app. --new shows only what appeared since the
  previous scan (a new advisory, or an app newly shipping an affected version). --fail-on exits 1 when a
  finding shown is at or above low, medium, high or critical (no severity counts as medium).

bpx fleet export --dependency-track URL [--api-key-env VAR] [--project-version V] [--insecure]
  Uploads each app's current SBOM (CycloneDX 1.6, rebuilt from the inventory) to OWASP Dependency-Track:
  PUT URL/api/v1/bom with autoCreate, project "org/space/app", version V (default "current"). The API key
  (permissions BOM_UPLOAD and PROJECT_CREATION_UPLOAD) is read from the variable VAR (default
  ${'$'}BPX_DT_API_KEY), never from the command line. http:// only to loopback unless --insecure.
  Exit status: 0 all uploaded; 1 some failed (a refused key stops the rest); 2 usage.
`;

const SUBCOMMANDS: Record<string, () => Promise<(argv: string[], io: Parameters<Command['run']>[1]) => Promise<number>>> = {
  add: async () => (await import('../fleet/add.ts')).add,
  sync: async () => (await import('../fleet/sync.ts')).sync,
  restage: async () => (await import('../fleet/restage.ts')).restage,
  query: async () => (await import('../fleet/query.ts')).query,
  buildpacks: async () => (await import('../fleet/buildpacks.ts')).buildpacks,
  scan: async () => (await import('../fleet/scan.ts')).scan,
  export: async () => (await import('../fleet/export.ts')).exportCommand,
};

const command: Command = {
  summary: 'inventory of droplets in SQLite or PostgreSQL: add, sync, query, buildpacks, restage, scan, export',
  help,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (!sub) throw new CliError(`fleet: give a subcommand: ${Object.keys(SUBCOMMANDS).join(', ')}\nRun bpx fleet --help for usage.`);
    const load = SUBCOMMANDS[sub];
    if (!load)
      throw new CliError(
        `fleet: unknown subcommand '${sub}' (one of ${Object.keys(SUBCOMMANDS).join(', ')})\nRun bpx fleet --help for usage.`,
      );
    return (await load())(rest, io);
  },
};
export default command;
