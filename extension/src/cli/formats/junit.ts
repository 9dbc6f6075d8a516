import { BUILTIN_IDS, type Severity } from '../../engine';
import { displayPath, regionOf, type Formatter } from './types';

/** The label ESLint's JUnit body gives a message's severity ("line 3, col 5, Error - …"). */
const LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** Findings that mean the file could not be read at all: JUnit `<error>`s, as ESLint's fatal parse errors are. */
const FATAL: ReadonlySet<string> = new Set([BUILTIN_IDS.yamlSyntax, BUILTIN_IDS.encoding]);

/**
 * Characters XML 1.0 cannot hold at all, not even as a character reference: C0 controls other
 * than tab, newline and carriage return, unpaired surrogates, U+FFFE and U+FFFF. A component id
 * may contain them (YAML allows them in quoted keys).
 */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- these are the characters being looked for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Characters XML cannot hold, written visibly as `\u{…}` so the report still says what the file has. */
function xmlChars(text: string): string {
  return text.replace(NOT_XML, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** An attribute value: markup escaped, and tab, newline and carriage return as references, which attribute normalisation keeps. */
export function xmlAttribute(text: string): string {
  return xmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** A CDATA section holding `text` exactly: a `]]>` inside is split across two sections. */
function cdata(text: string): string {
  return `<![CDATA[${xmlChars(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** `samples/shop.arch.yaml` → `samples/shop`: JUnit readers split a class name at its dots. */
function className(path: string): string {
  return path.replace(/\.arch\.ya?ml$/i, '').replace(/(?<=[^/])\.[^./]*$/, '');
}

/**
 * JUnit XML in the shape ESLint's `junit` formatter writes: one `<testsuite>` per file, one
 * failing `<testcase>` per finding (named `archlint.<rule-id>`, its body `line L, col C, Error -
 * message (rule-id)`), and a clean file as one passing test case named by its path. Where ESLint's
 * is loose this one is strict: every value is escaped (ESLint leaves paths raw and escapes the
 * message twice inside CDATA), characters XML cannot hold are written as `\u{…}`, paths are
 * relative to the working folder as in the other formats, and a suite counts `failures` (findings)
 * apart from `errors` (a file that could not be read: YAML syntax or encoding), as the JUnit
 * schema means them, where ESLint counts every message as an error.
 */
export const junit: Formatter = (reports, { cwd }) => {
  let out = '<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n';
  for (const report of reports) {
    const path = displayPath(cwd, report.filePath);
    const suite = (tests: number, failures: number, errors: number) =>
      `<testsuite package="archlint" time="0" tests="${tests}" failures="${failures}" errors="${errors}" name="${xmlAttribute(path)}">\n`;
    const classname = xmlAttribute(className(path));
    if (report.findings.length === 0) {
      out += suite(1, 0, 0);
      out += `<testcase time="0" name="${xmlAttribute(path)}" classname="${classname}" />\n`;
      out += '</testsuite>\n';
      continue;
    }
    const errors = report.findings.filter((f) => FATAL.has(f.ruleId)).length;
    out += suite(report.findings.length, report.findings.length - errors, errors);
    for (const f of report.findings) {
      const element = FATAL.has(f.ruleId) ? 'error' : 'failure';
      const { line, column } = regionOf(report.lines, f.range);
      out += `<testcase time="0" name="archlint.${xmlAttribute(f.ruleId)}" classname="${classname}">`;
      out += `<${element} message="${xmlAttribute(f.message)}" type="${f.severity}">`;
      out += cdata(`line ${line}, col ${column}, ${LABEL[f.severity]} - ${f.message} (${f.ruleId})`);
      out += `</${element}></testcase>\n`;
    }
    out += '</testsuite>\n';
  }
  return `${out}</testsuites>\n`;
};
