import type { Document } from 'yaml';
import type { Finding } from '../types';

/** Schema check of the parsed value; findings at the offending key or value. (Implemented by the schema work.) */
export function validateArchitecture(_doc: Document, _value: unknown): Finding[] {
  return [];
}
