// The runtimes manager against its vendored testdata/ cases (real files, see testdata/SOURCE.md) and expected.json.
import { catalogTester } from '../../catalog-tester.ts';

catalogTester('runtimes', import.meta.url);
