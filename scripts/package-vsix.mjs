// Packages the VS Code extension (.vsix) from a staging folder.
// Why staging: package.json's "files" lists what the npm package (the CLI) ships, and vsce refuses
// a "files" property together with a .vscodeignore. The staging folder gets the files .vscodeignore
// allows and a package.json without "files"; vsce packages that, with no node_modules (the bundle
// inlines its dependencies). Usage: node scripts/package-vsix.mjs (after `npm run build`).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, '.cache', 'vsix-stage');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// .vscodeignore is an allow-list: `**` then `!pattern` lines.
const allowed = readFileSync(join(root, '.vscodeignore'), 'utf8')
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line.startsWith('!'))
  .map((line) => line.slice(1));
for (const file of globSync(allowed, { cwd: root, dot: false, onlyFiles: true })) {
  mkdirSync(dirname(join(stage, file)), { recursive: true });
  cpSync(join(root, file), join(stage, file));
}
cpSync(join(root, '.vscodeignore'), join(stage, '.vscodeignore'));

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
delete manifest.files;
delete manifest.scripts; // vsce would run `vscode:prepublish`; the build is done already.
delete manifest.devDependencies;
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const out = join(root, 'dist', `${manifest.name}-${manifest.version}.vsix`);
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const license = globSync(['LICENSE*'], { cwd: stage }).length > 0 ? [] : ['--skip-license'];
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', ...license, '--out', out], {
  cwd: stage,
  stdio: 'inherit',
});
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} KiB`);
