// The app as VCAP_APPLICATION names it, for the SBOM (kept apart from facts.ts so that `bpx sbom` of an app dir loads no YAML parser).
import type { Issue } from '../model/index.ts';
import type { AppFact } from './model.ts';
import { readVcapApplication } from '../platform/vcap.ts';

/** Reads the app fields bpx records from VCAP_APPLICATION's JSON; a malformed value gives an issue, not a failure. */
export function appFromVcap(vcap: string | undefined): { app: AppFact; issues: Issue[] } {
  const { app, problem } = readVcapApplication(vcap);
  return { app, issues: problem ? [{ path: 'VCAP_APPLICATION', severity: 'warning', message: problem }] : [] };
}
