// What package.json tells VS Code about Compose files and Kubernetes manifests: the extension
// activates for them, its commands, menus and keybinding apply to them (Compose files by name, or
// by the `dockercompose` language the Docker extension and VS Code give them; manifests through the
// context key `archlint.manifests`, the open documents that hold them), the settings that turn
// them off exist, and nothing associates a schema with them (the Docker, YAML and Kubernetes
// extensions own Compose's and Kubernetes' schemas).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Contributes {
  configuration: { properties: Record<string, { type: string; default: unknown; scope: string }> };
  menus: Record<string, { command: string; when: string }[]>;
  keybindings: { command: string; when: string }[];
  yamlValidation?: unknown;
  jsonValidation?: unknown;
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: Contributes;
};
const contributes = manifest.contributes;

/** Evaluates the subset of when-clause syntax the manifest uses: `||`, `&&`, parentheses, `=~ /re/`, `==`, `in`, `!key`. */
function evaluate(when: string, context: Record<string, string | boolean | string[]>): boolean {
  const tokens =
    when.match(/\(|\)|&&|\|\||!?[\w.]+\s*=~\s*\/(?:\\.|[^/])*\/[a-z]*|[\w.]+\s*==\s*[\w.-]+|[\w.]+\s+in\s+[\w.]+|!?[\w.]+/g) ??
    [];
  let i = 0;
  const or = (): boolean => {
    let value = and();
    while (tokens[i] === '||') {
      i++;
      value = and() || value;
    }
    return value;
  };
  const and = (): boolean => {
    let value = atom();
    while (tokens[i] === '&&') {
      i++;
      value = atom() && value;
    }
    return value;
  };
  const atom = (): boolean => {
    const token = tokens[i++]!;
    if (token === '(') {
      const value = or();
      i++;
      return value;
    }
    const match = /^([\w.]+)\s*=~\s*\/((?:\\.|[^/])*)\/([a-z]*)$/.exec(token);
    if (match) return new RegExp(match[2]!, match[3]).test(String(context[match[1]!] ?? ''));
    const within = /^([\w.]+)\s+in\s+([\w.]+)$/.exec(token);
    if (within) {
      const list = context[within[2]!];
      return Array.isArray(list) && list.includes(String(context[within[1]!]));
    }
    const equals = /^([\w.]+)\s*==\s*([\w.-]+)$/.exec(token);
    if (equals) return String(context[equals[1]!] ?? '') === equals[2];
    return token.startsWith('!') ? !context[token.slice(1)] : Boolean(context[token]);
  };
  return or();
}

const editorOn = (resourceFilename: string, editorLangId = 'yaml', manifests: string[] = []) => ({
  resourceFilename,
  resource: `file:///w/${resourceFilename}`,
  'archlint.manifests': manifests,
  editorLangId,
  resourceLangId: editorLangId,
  editorTextFocus: true,
  editorReadonly: false,
});

describe('package.json for Compose files', () => {
  it('activates the extension for Compose workspaces and files', () => {
    for (const name of ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'])
      expect(manifest.activationEvents).toContain(`workspaceContains:**/${name}`);
    expect(manifest.activationEvents).toContain('onLanguage:dockercompose');
  });

  it('offers the diagram and the availability report on Compose files by name or language, and on nothing else', () => {
    const entries = [
      ...Object.values(contributes.menus)
        .flat()
        .filter((m) => m.command === 'archlint.openDiagramToSide' || m.command === 'archlint.showAvailability'),
      ...contributes.keybindings,
    ];
    expect(entries.length).toBe(5);
    for (const { command, when } of entries) {
      for (const name of [
        'compose.yaml',
        'docker-compose.yml',
        'compose.override.yaml',
        'docker-compose.override.yml',
        'shop.arch.yaml',
      ])
        expect(evaluate(when, editorOn(name)), `${command} on ${name}: ${when}`).toBe(true);
      expect(evaluate(when, editorOn('docker-compose.prod.yml', 'dockercompose')), `${command} by language`).toBe(true);
      for (const name of ['values.yaml', 'my-compose.yaml', 'compose.yaml.bak'])
        expect(evaluate(when, editorOn(name)), `${command} on ${name}: ${when}`).toBe(false);
    }
  });

  it('has the archlint.sources.compose setting, and no schema association at all', () => {
    expect(contributes.configuration.properties['archlint.sources.compose']).toMatchObject({
      type: 'boolean',
      default: true,
      scope: 'resource',
    });
    expect(contributes.yamlValidation).toBeUndefined();
    expect(contributes.jsonValidation).toBeUndefined();
  });
});

describe('package.json for Kubernetes manifests', () => {
  it('activates the extension when a YAML or JSON file is opened (manifests have no name to look for)', () => {
    expect(manifest.activationEvents).toContain('onLanguage:yaml');
    expect(manifest.activationEvents).toContain('onLanguage:json');
  });

  it('offers the diagram and the availability report on an open manifest the context key lists, and on no other YAML or JSON', () => {
    const entries = [
      ...Object.values(contributes.menus)
        .flat()
        .filter((m) => m.command === 'archlint.openDiagramToSide' || m.command === 'archlint.showAvailability'),
      ...contributes.keybindings,
    ];
    for (const { command, when } of entries) {
      for (const name of ['deployment.yaml', 'list.json'])
        expect(
          evaluate(when, editorOn(name, name.endsWith('.json') ? 'json' : 'yaml', [`file:///w/${name}`])),
          `${command} on ${name}`,
        ).toBe(true);
      // A manifest beside it is listed; this file is not one.
      expect(evaluate(when, editorOn('values.yaml', 'yaml', ['file:///w/deployment.yaml'])), `${command} on values.yaml`).toBe(
        false,
      );
      expect(evaluate(when, editorOn('package.json', 'json', ['file:///w/deployment.yaml'])), `${command} on package.json`).toBe(
        false,
      );
    }
    const fixAll = contributes.menus.commandPalette!.find((m) => m.command === 'archlint.fixAll')!;
    expect(evaluate(fixAll.when, editorOn('deployment.yaml', 'yaml', ['file:///w/deployment.yaml']))).toBe(true);
  });

  it('has the archlint.sources.kubernetes setting', () => {
    expect(contributes.configuration.properties['archlint.sources.kubernetes']).toMatchObject({
      type: 'boolean',
      default: true,
      scope: 'resource',
    });
  });
});
