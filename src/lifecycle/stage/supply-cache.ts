// The build artifacts cache folder of a non-last buildpack: XXH64 (seed 0) of its key as 16 hex digits
// (runner.go supplyCachePath; recorded: "alpha" → c758e1011dda5848). The last buildpack uses `final`.
import xxhash from 'xxhash-wasm';

let hasher: ReturnType<typeof xxhash> | undefined;

export async function supplyCacheName(key: string): Promise<string> {
  hasher ??= xxhash();
  return (await hasher).h64ToString(key);
}
