import type { Component } from '../model/model';
import type { RuleContext } from '../rules/types';
import type { TextEdit } from '../types';
import { appendItems, replaceValue } from './yamlEdits';

/**
 * `zones: spread` on a component: the missing zones appended when the written list is where the
 * spread starts (so the list's comments and layout stay), else the list rewritten — unless that
 * would drop a comment (then it throws, and the fix is not offered).
 */
export function zonesEdit(ctx: RuleContext, c: Component, spread: readonly string[]): TextEdit {
  const path = ['components', c.id, 'zones'];
  const written = c.zones.map((z) => z.id);
  if (written.length > 0 && written.every((z, i) => spread[i] === z)) {
    return appendItems(ctx, path, spread.slice(written.length));
  }
  const range = c.keys.zones!.value;
  if (ctx.text.slice(range[0], range[1]).includes('#')) throw new Error('a rewrite would drop a comment');
  return replaceValue(ctx, path, spread);
}
