// bpx as the tool named in SBOM metadata (kept in step with package.json by the release).
export const TOOL = { name: 'bpx', version: '0.1.0' } as const;
