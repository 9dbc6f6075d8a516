/** Generated architectures for the layout tests. */

/** The audit's reproducer (d4-layout.py): `entries` entry points, each with `groups` any-of groups over 80 shared services. */
export function anyOfTangle(entries: number, groups: number): string {
  let s = 'archlint: 1\nname: t\ncomponents:\n';
  for (let i = 0; i < entries; i++) {
    s += `  e${i}:\n    kind: service\n    entry: true\n    depends-on:\n`;
    for (let j = 0; j < groups; j++) s += `      - { any-of: [g${(i + j) % 40}a, g${(i + j) % 40}b, g${(i + j + 7) % 40}a] }\n`;
  }
  for (let g = 0; g < 40; g++)
    s += `  g${g}a: {kind: service, zones: [z${g % 3}]}\n  g${g}b: {kind: service, zones: [z${(g + 1) % 3}]}\n`;
  return `${s}zones: {z0: {}, z1: {}, z2: {}}\n`;
}
