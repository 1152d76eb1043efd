// Go modules: go.mod, vendor/modules.txt and the build info inside Go executables. See README.md.
import { byKind } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';

export const go: PackageManager = {
  id: 'go',
  ecosystem: 'golang',
  description:
    'Go modules from go.mod (require, replace, exclude), vendor/modules.txt, and the build info of Go binaries (app/bin, app root).',
  ...byKind(
    {
      /** not the go.mod files of vendored modules, the module cache or test data: they describe other modules' builds */
      module: { match: /(^|\/)go\.mod$/, not: /(^|\/)(vendor|testdata)\/|(^|\/)pkg\/mod\// },
      vendor: /(^|\/)vendor\/modules\.txt$/,
      /**
       * Candidates only (the file must still start with an executable header and carry Go build info): what the go
       * buildpack installs, `app/bin/<name>` (go install with GOBIN=$BUILD_DIR/bin), and a prebuilt binary pushed with
       * the binary buildpack at the app root, `app/<name>` (or `<name>` when scanning an app dir). Never deps/ (the Go toolchain).
       */
      binary: { match: /(^|\/)bin\/[^/.]+$|^(app\/)?[^/.]+$/, not: /^deps\//, name: /^[^.]+$/ },
    },
    () => import('./catalog.ts'),
  ),
};
