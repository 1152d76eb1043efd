// What `bpx sbom` runs: its help and summary are in src/cli/commands/sbom.ts, so that `bpx sbom --help` loads
// none of this.
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError, type Io } from '../io.ts';
import { captureDir, DEFAULT_MAX_FILE_BYTES } from '../../catalog/index.ts';
import { appFromVcap } from '../../sbom/vcap-fact.ts';
import { parseSourceDateEpoch } from '../../platform/source-date-epoch.ts';
import { FORMAT_IDS, WRITERS, isFormat } from '../../sbom/formats/writers.ts';
import { buildModel } from '../../sbom/model.ts';
import { TOOL } from '../../sbom/tool.ts';
import { writeFileAtomic } from '../../fs/atomic-write.ts';
import { describeFsError } from '../../platform/fs-error.ts';
import { keepYoungGenerationSmall } from '../../platform/young-generation.ts';

/** `--max-file-bytes`: 1048576, 512k, 200m, 2g (binary units) → bytes. */
export function parseSize(value: string, flag: string): number {
  const m = /^([1-9]\d{0,12})([kmg]?)$/i.exec(value.trim());
  if (!m) throw new CliError(`${flag} ${value}: expected a size such as 134217728, 128m or 1g`);
  const n = Number(m[1]) * 1024 ** ' kmg'.indexOf((m[2] || ' ').toLowerCase());
  if (!Number.isSafeInteger(n)) throw new CliError(`${flag} ${value}: too large`);
  return n;
}

export async function runSbom(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('sbom', {
    args: argv,
    options: {
      format: { type: 'string', default: 'cyclonedx' },
      output: { type: 'string', short: 'o' },
      'include-dev': { type: 'boolean', default: false },
      'max-file-bytes': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new CliError('give one app directory or droplet tarball');
  const format = values.format;
  if (!isFormat(format)) throw new CliError(`--format must be ${FORMAT_IDS.join(' or ')}, got ${format}`);
  const maxFileBytes =
    values['max-file-bytes'] === undefined ? DEFAULT_MAX_FILE_BYTES : parseSize(values['max-file-bytes'], '--max-file-bytes');
  const captureOpts = { includeDev: values['include-dev'], maxFileBytes };
  let epoch: number | undefined;
  try {
    epoch = parseSourceDateEpoch(io.env.SOURCE_DATE_EPOCH);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const outFile = values.output === undefined ? undefined : path.resolve(io.cwd, values.output);
  if (
    outFile &&
    (await stat(outFile).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    throw new CliError(`-o ${values.output}: is a folder; give a file name (for example ${path.join(values.output!, 'sbom.cdx.json')})`);
  }
  const input = path.resolve(io.cwd, positionals[0]);
  const st = await stat(input).catch(() => null);
  if (!st) throw new CliError(`${input}: no such file or directory`, 1);
  let root = input;
  let tmp: string | undefined;
  await keepYoungGenerationSmall();
  try {
    let capture;
    if (!st.isDirectory()) {
      tmp = await mkdtemp(path.join(tmpdir(), 'bpx-sbom-'));
      // the tar reader is loaded only for a tarball
      const { captureDropletTarball } = await import('../../sbom/droplet-capture.ts');
      try {
        // what extraction skipped is in capture.issues, printed below with the rest
        capture = await captureDropletTarball(input, tmp, captureOpts);
      } catch (err) {
        throw new CliError((err as Error).message, 1);
      }
      root = tmp;
    } else capture = await captureDir(root, captureOpts);
    // a droplet (tarball or extracted) names its buildpacks in deps/<idx>/config.yml; an app dir has none (and then
    // the YAML parser that reads them is never loaded)
    const deps = path.join(root, 'deps');
    const bps = (await stat(deps).then(
      (s) => s.isDirectory(),
      () => false,
    ))
      ? await (await import('../../sbom/facts.ts')).readBuildpacks(deps)
      : { buildpacks: [], issues: [] };
    const vcap = appFromVcap(io.env.VCAP_APPLICATION);
    const model = buildModel(capture, {
      app: vcap.app,
      stack: io.env.CF_STACK || undefined,
      buildpacks: bps.buildpacks,
      tool: TOOL,
      epoch,
    });
    const text = WRITERS[format].text(model);
    for (const i of [...vcap.issues, ...bps.issues, ...capture.issues]) {
      io.stderr.write(`${i.severity}: ${i.path}${i.line ? `:${i.line}` : ''}: ${i.message}\n`);
    }
    if (capture.issues.some((i) => /-byte bound \(maxFileBytes\)/.test(i.message))) {
      io.stderr.write(`hint: files over ${maxFileBytes} bytes were skipped; raise the bound with --max-file-bytes\n`);
    }
    if (!model.complete) io.stderr.write('warning: the capture is incomplete; the SBOM says so\n');
    if (outFile) {
      // missing parent folders are created, as stage -o and keygen -o do
      await mkdir(path.dirname(outFile), { recursive: true })
        .then(() => writeFileAtomic(outFile, text))
        .catch((err: NodeJS.ErrnoException) => {
          const why = err.code === 'EEXIST' || err.code === 'ENOTDIR' ? 'a file sits where a folder must be' : describeFsError(err);
          throw new CliError(`cannot write ${outFile}: ${why}`, 1);
        });
    } else io.stdout.write(text);
    return 0;
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
