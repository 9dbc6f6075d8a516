// Types for oracles.mjs, so the property tests hold the engine to the fuzz script's oracles.

export interface XmlElement {
  name: string;
  /** As an XML processor reports them: references resolved, literal tabs and line breaks read as spaces. */
  attrs: Map<string, string>;
  /** The element's direct text, references resolved. */
  text: string;
  depth: number;
}
export function isXmlChar(cp: number): boolean;
export function parseXml(text: string): XmlElement[];
export function xmlProblem(text: string): string | undefined;
export const TERMINAL_UNSAFE: RegExp;
export function terminalProblem(text: string): string | undefined;
export function githubProblem(text: string): string | undefined;
export function crashProblem(text: string): { sign: string; excerpt: string } | undefined;
export function isUtf8(bytes: Uint8Array): boolean;
export function commentsOf(text: string): string[];
export function lostComments(before: string, after: string): string[];
export function lineEndings(text: string): { crlf: number; lf: number; cr: number };
export function lineEndingProblem(before: string, after: string): string | undefined;
export interface JsonMessage {
  ruleId: string;
  fix?: { range: [number, number]; text: string };
}
export function applyFixPass(text: string, messages: readonly JsonMessage[]): string;
export function isBroken(messages: readonly { ruleId: string }[]): boolean;
export function firstDifference(a: string, b: string): string;
