// The nuget manager against its vendored testdata/ cases (real files, see testdata/SOURCE.md) and expected.json.
import { catalogTester } from '../../catalog-tester.ts';

catalogTester('nuget', import.meta.url);
