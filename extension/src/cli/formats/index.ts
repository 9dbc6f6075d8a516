import { github } from './github';
import { json } from './json';
import { sarif } from './sarif';
import { stylish } from './stylish';
import type { Formatter } from './types';

/** The output formats of `archlint lint --format`, by name. */
export const FORMATS: Readonly<Record<string, Formatter>> = { stylish, json, sarif, github };
export type { FileReport, FormatContext, Formatter } from './types';
