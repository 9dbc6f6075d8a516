import { insertEntries, replaceValue } from '../fix/yamlEdits';
import type { Component, Reference } from '../model/model';
import type { Fix } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/** Kinds that are decomposed services: each should own its data. */
const SERVICE_KINDS: readonly Component['kind'][] = ['service', 'worker'];

/** A service or worker that depends on the database, where it names it, and whether it says it only reads. */
interface Caller {
  component: Component;
  /** Every place it names the database (a component may name it twice, say once optionally). */
  refs: Reference[];
  readOnly: boolean;
}

/** For every component, the services and workers that name it in `depends-on`, in file order, each once: one pass. */
function callersByDatabase(ctx: RuleContext): Map<string, Caller[]> {
  const out = new Map<string, Caller[]>();
  for (const c of ctx.model.components.values()) {
    if (!SERVICE_KINDS.includes(c.kind)) continue;
    const mine = new Map<string, Caller>();
    for (const dep of c.dependsOn) {
      for (const ref of dep.type === 'component' ? [dep.target] : dep.members) {
        if (ref.id === c.id) continue;
        const caller = mine.get(ref.id) ?? { component: c, refs: [], readOnly: true };
        caller.refs.push(ref);
        // Read-only only when every entry naming it says so: one writing entry makes it a writer.
        caller.readOnly &&= dep.access === 'read';
        mine.set(ref.id, caller);
      }
    }
    for (const [id, caller] of mine) {
      const list = out.get(id);
      if (list) list.push(caller);
      else out.set(id, [caller]);
    }
  }
  return out;
}

/** `owner: <id>` on the database. Unsafe: naming an owner is a decision about who may change the schema. */
function ownerFix(ctx: RuleContext, db: Component, owner: string): Fix | undefined {
  const path = ['components', db.id];
  const edit = db.keys.owner ? replaceValue(ctx, [...path, 'owner'], owner) : insertEntries(ctx, path, [['owner', owner]]);
  return { title: `Make ${owner} the owner of ${db.id} (owner: ${owner})`, edits: [edit], applicability: 'unsafe' };
}

/** `a`, `a and b`, `a, b and c`. */
const names = (callers: readonly Caller[]) => {
  const ids = callers.map((c) => c.component.id);
  return ids.length <= 1 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
};

export const sharedDatabase = defineRule({
  meta: {
    id: 'shared-database',
    severity: 'warning',
    summary: 'a database that several services or workers depend on, without one owner that alone writes to it',
    rationale:
      'Services are split so that they can change, deploy and scale apart. A database that several of them write ' +
      'to couples them again, through its schema: a column one team renames breaks another team’s service, a ' +
      'migration needs every writer released together, one service’s heavy queries slow the others, and the ' +
      'database can only be scaled for all of them at once. Give every database one owner that alone writes to ' +
      'it; the other services call the owner’s API, or read (`access: read`) where a read model is acceptable.',
    fix: 'unsafe',
    messages: {
      noOwner:
        '{{id}} is shared by {{callers}}, and has no owner: services coupled through one schema cannot change or ' +
        'scale apart; name its owner (owner: <service>) and let the others read (access: read) or call the owner',
      otherWriters:
        '{{id}} is owned by {{owner}}, but {{writers}} also {{verb}} to it (no access: read): services coupled ' +
        'through one schema cannot change or scale apart; let them read only, or call {{owner}}',
    },
  },
  check(ctx) {
    let callersOf: Map<string, Caller[]> | undefined;
    for (const db of ctx.model.components.values()) {
      if (db.kind !== 'database') continue;
      const callers = (callersOf ??= callersByDatabase(ctx)).get(db.id) ?? [];
      if (callers.length < 2) continue;
      const related = (list: readonly Caller[], what: string) =>
        list.flatMap((c) => c.refs.map((range) => ({ range: range.range, message: `${c.component.id} ${what} ${db.id}` })));
      if (!db.owner) {
        const writers = callers.filter((c) => !c.readOnly);
        // The one writer is the evident owner; with several (or none) each is a candidate.
        const candidates = writers.length >= 1 ? writers : callers;
        ctx.report({
          messageId: 'noOwner',
          data: { id: db.id, callers: names(callers) },
          range: db.idRange,
          component: db.id,
          related: related(callers, 'depends on'),
          fixes: candidates.map((c) => () => ownerFix(ctx, db, c.component.id)),
        });
        continue;
      }
      const owner = db.owner.id;
      const writers = callers.filter((c) => c.component.id !== owner && !c.readOnly);
      if (writers.length === 0) continue;
      ctx.report({
        messageId: 'otherWriters',
        data: { id: db.id, owner, writers: names(writers), verb: writers.length === 1 ? 'writes' : 'write' },
        range: db.keys.owner?.value ?? db.idRange,
        component: db.id,
        related: related(writers, 'writes to'),
      });
    }
  },
});
