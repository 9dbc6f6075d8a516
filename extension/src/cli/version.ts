// A named import of a JSON key: esbuild inlines just this string, not the whole package.json.
import { version } from '../../../package.json';

/** The version of this archlint, from package.json. */
export const ARCHLINT_VERSION: string = version;

/** Where the project lives: SARIF's `informationUri`. */
export const ARCHLINT_HOMEPAGE = 'https://github.com/archlint/archlint';
