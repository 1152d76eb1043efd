// VCAP_APPLICATION, the JSON Cloud Foundry gives staging and running apps: the app's name and ids.

export interface VcapApp {
  name?: string;
  id?: string;
  version?: string;
  spaceId?: string;
  spaceName?: string;
  orgId?: string;
  orgName?: string;
}

export interface VcapRead {
  app: VcapApp;
  /** why the value could not be read (absent when it could, or when it is unset). */
  problem?: string;
}

const FIELDS: ReadonlyArray<[keyof VcapApp, string]> = [
  ['id', 'application_id'],
  ['version', 'application_version'],
  ['spaceId', 'space_id'],
  ['spaceName', 'space_name'],
  ['orgId', 'organization_id'],
  ['orgName', 'organization_name'],
];

/**
 * The app fields bpx records: `application_name` (else `name`), `application_id`, `application_version`, `space_id`,
 * `space_name`, `organization_id`, `organization_name`; empty strings count as absent. A malformed value gives a
 * problem and an empty app, never a failure.
 */
export function readVcapApplication(value: string | undefined): VcapRead {
  if (value === undefined || value === '') return { app: {} };
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch (err) {
    return { app: {}, problem: `not JSON: ${(err as Error).message}` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { app: {}, problem: 'not a JSON object' };
  const v = doc as Record<string, unknown>;
  const str = (k: string) => (typeof v[k] === 'string' && v[k] !== '' ? (v[k] as string) : undefined);
  const app: VcapApp = {};
  const name = str('application_name') ?? str('name');
  if (name !== undefined) app.name = name;
  for (const [field, key] of FIELDS) {
    const s = str(key);
    if (s !== undefined) app[field] = s;
  }
  return { app };
}
