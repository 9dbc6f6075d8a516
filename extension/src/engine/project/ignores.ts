/**
 * The configuration's `ignores`: which files a folder search skips. Pure string matching on a
 * path relative to the configuration file's folder, with `/` between names.
 *
 * The patterns read as a `.gitignore`'s do, with one difference that makes negation useful:
 * - `*` and `?` match within one name, `**` across folders, `[abc]` and `{a,b}` as usual;
 * - a pattern with no `/` but a trailing one matches a name at any depth (`fixtures/`,
 *   `*.draft.arch.yaml`); any other `/` anchors it to the configuration's folder (a leading
 *   `/` only says so);
 * - a pattern ending in `/` matches folders only; a folder that matches takes everything in it;
 * - `!pattern` takes back what an earlier pattern ignored, and the last pattern that matches a
 *   file decides. Unlike git, a file is taken back even when a folder above it was ignored
 *   (`fixtures/` then `!fixtures/keep.arch.yaml` lints that one file).
 */

interface IgnorePattern {
  negated: boolean;
  folderOnly: boolean;
  regex: RegExp;
}

/** Whether a path relative to the configuration's folder is ignored by `patterns` (see above). */
export type IgnoreMatcher = (relativePath: string) => boolean;

/** Compiles ignore patterns once into a matcher. Never throws: an odd pattern matches literally. */
export function ignoreMatcher(patterns: readonly string[]): IgnoreMatcher {
  const compiled = patterns.map(compile).filter((p): p is IgnorePattern => p !== undefined);
  if (compiled.length === 0) return () => false;
  return (relativePath) => {
    const names = relativePath.split(/[\\/]+/).filter((n) => n !== '' && n !== '.');
    // A path outside the configuration's folder is never its business.
    if (names.length === 0 || names.includes('..')) return false;
    // The file itself, then each folder it is in: `a`, `a/b`, … (folders only for folder patterns).
    const candidates = names.map((_, i) => ({ path: names.slice(0, i + 1).join('/'), folder: i < names.length - 1 }));
    let ignored = false;
    for (const pattern of compiled) {
      if (candidates.some((c) => (c.folder || !pattern.folderOnly) && pattern.regex.test(c.path))) ignored = !pattern.negated;
    }
    return ignored;
  };
}

function compile(raw: string): IgnorePattern | undefined {
  let pattern = raw.trim();
  const negated = pattern.startsWith('!');
  if (negated) pattern = pattern.slice(1);
  const folderOnly = pattern.endsWith('/');
  pattern = pattern.replace(/\/+$/, '');
  const anchored = pattern.includes('/');
  pattern = pattern.replace(/^\/+/, '');
  if (pattern === '') return undefined;
  const body = globToRegExpSource(pattern);
  return { negated, folderOnly, regex: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}$`, 'u') };
}

const SPECIAL = /[.+^$()|\\]/;

/** A glob as the source of a regular expression matching a whole `/`-separated path. */
function globToRegExpSource(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const slashAfter = glob[i + 2] === '/';
        const atEnd = i + 2 === glob.length;
        if (atStart && slashAfter) {
          out += '(?:[^/]*/)*';
          i += 2;
          continue;
        }
        if (atStart && atEnd) {
          out += '.*';
          i += 1;
          continue;
        }
      }
      out += '[^/]*';
      while (glob[i + 1] === '*') i++;
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let set = glob.slice(i + 1, close);
      const negate = set.startsWith('!') || set.startsWith('^');
      if (negate) set = set.slice(1);
      out += `[${negate ? '^/' : ''}${set.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else if (ch === '{') {
      braces++;
      out += '(?:';
    } else if (ch === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (ch === ',' && braces > 0) {
      out += '|';
    } else if (ch === '\\' && i + 1 < glob.length) {
      out += escape(glob[++i]!);
    } else {
      out += escape(ch);
    }
  }
  // An unclosed `{` matches itself.
  return braces > 0 ? escapeAll(glob) : out;
}

const escape = (ch: string): string => (SPECIAL.test(ch) || '{}[]?*'.includes(ch) ? `\\${ch}` : ch);
const escapeAll = (text: string): string => [...text].map(escape).join('');
