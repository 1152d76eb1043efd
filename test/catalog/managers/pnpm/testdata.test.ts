// The pnpm manager against its vendored testdata/ cases (real files, see testdata/SOURCE.md) and expected.json.
import { catalogTester } from '../../catalog-tester.ts';

catalogTester('pnpm', import.meta.url);
