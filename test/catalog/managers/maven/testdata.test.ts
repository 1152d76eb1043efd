// The maven manager against its vendored testdata/ cases (real files, see testdata/SOURCE.md) and expected.json.
import { catalogTester } from '../../catalog-tester.ts';

catalogTester('maven', import.meta.url);
