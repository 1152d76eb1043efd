// bpx as the tool named in SBOM metadata.
import { VERSION } from '../version.ts';

export const TOOL = { name: 'bpx', version: VERSION } as const;
