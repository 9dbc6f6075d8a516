import { github } from './github';
import { gitlab } from './gitlab';
import { json } from './json';
import { junit } from './junit';
import { sarif } from './sarif';
import { stylish } from './stylish';
import type { Formatter } from './types';

/** The output formats of `archlint lint --format`, by name. */
export const FORMATS: Readonly<Record<string, Formatter>> = { stylish, json, sarif, github, junit, gitlab };
export type { FileReport, FormatContext, Formatter } from './types';
