import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../extension/src/engine/lineIndex';

/** Line starts the slow way: after every `\r\n`, `\n` and lone `\r`, as VS Code counts lines. */
function reference(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index! + m[0].length);
  return starts;
}

describe('LineIndex', () => {
  it('maps every offset to the line and column the line breaks give, with or without \\r', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', '\r\n', 'é'), maxLength: 60 });
    fc.assert(
      fc.property(text, (t) => {
        const lines = new LineIndex(t);
        const starts = reference(t);
        expect(lines.lineCount).toBe(starts.length);
        for (let offset = 0; offset <= t.length; offset++) {
          let line = 0;
          while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
          expect(lines.position(offset)).toEqual({ line, character: offset - starts[line]! });
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
