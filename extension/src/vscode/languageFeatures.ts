import * as vscode from 'vscode';
import { ARCH_GLOBS } from './adapters/archFiles';
import { completionItems, type CompletionData } from './adapters/completion';
import { componentHover, escapeMarkdown, keyHover } from './adapters/hover';
import { SchemaNavigator, type JsonSchema } from './adapters/schema';
import {
  componentDetail,
  definitionOf,
  innerRange,
  occurrencesOf,
  pathAt,
  RenameError,
  renameEdits,
  symbolAt,
} from './adapters/symbols';
import { cursorContext } from './adapters/yamlContext';
import { offsetsToRange } from './convert';
import { engine } from './engineLoader';
import { isArchDocument, type LintService } from './lintService';
import type { Component } from '../engine';

/** Architecture files by name; they keep the `yaml` language. */
export const ARCH_SELECTOR: vscode.DocumentSelector = ARCH_GLOBS.map((pattern) => ({ language: 'yaml', pattern }));

/** The schema, made on first use from the engine module: key completion and hover work without the YAML extension. */
let navigator: SchemaNavigator | undefined;
function schema(): SchemaNavigator {
  return (navigator ??= new SchemaNavigator(engine().schemaJson as unknown as JsonSchema));
}

const COMPLETION_KIND: Record<CompletionData['kind'], vscode.CompletionItemKind> = {
  component: vscode.CompletionItemKind.Reference,
  zone: vscode.CompletionItemKind.Reference,
  key: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
  rule: vscode.CompletionItemKind.Property,
};

const SYMBOL_KIND: Record<Component['kind'], vscode.SymbolKind> = {
  'load-balancer': vscode.SymbolKind.Interface,
  service: vscode.SymbolKind.Class,
  worker: vscode.SymbolKind.Function,
  database: vscode.SymbolKind.Struct,
  cache: vscode.SymbolKind.Field,
  queue: vscode.SymbolKind.Event,
  storage: vscode.SymbolKind.File,
  external: vscode.SymbolKind.Package,
};

/**
 * Completion, hover, go to definition, find references, rename and the outline, all over the
 * lint service's cached result (nothing is parsed twice).
 */
export class ArchlintLanguageFeatures
  implements
    vscode.CompletionItemProvider,
    vscode.HoverProvider,
    vscode.DefinitionProvider,
    vscode.ReferenceProvider,
    vscode.RenameProvider,
    vscode.DocumentSymbolProvider
{
  constructor(private readonly lints: LintService) {}

  private enabled(document: vscode.TextDocument): boolean {
    return isArchDocument(document) && this.lints.settingsFor(document).enable;
  }

  provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _token: vscode.CancellationToken,
    context: vscode.CompletionContext,
  ): vscode.CompletionItem[] {
    if (!this.enabled(document)) return [];
    const ctx = cursorContext(document.getText(), document.offsetAt(position));
    if (!ctx) return [];
    // A space or colon typed opens value suggestions only: indenting must not pop up keys.
    const typed = context.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter ? { ...ctx, keyOf: undefined } : ctx;
    const range = new vscode.Range(document.positionAt(ctx.range[0]), document.positionAt(ctx.range[1]));
    return completionItems(typed, this.lints.modelFor(document), schema(), engine().rules).map((data, i) => {
      const item = new vscode.CompletionItem(data.label, COMPLETION_KIND[data.kind]);
      item.insertText = data.insertText;
      item.range = range;
      item.sortText = String(i).padStart(4, '0');
      if (data.detail) item.detail = data.detail;
      if (data.documentation) item.documentation = new vscode.MarkdownString(data.documentation);
      if (data.retrigger) item.command = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
      return item;
    });
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.enabled(document)) return undefined;
    const result = this.lints.get(document);
    const offset = document.offsetAt(position);
    if (result.model) {
      const symbol = symbolAt(result.model, offset);
      if (symbol?.type === 'component') {
        return new vscode.Hover(
          new vscode.MarkdownString(componentHover(result, symbol.id)),
          offsetsToRange(result.lines, symbol.range),
        );
      }
      if (symbol?.type === 'zone') {
        const zone = result.model.zones.get(symbol.id);
        const users = [...result.model.components.values()]
          .filter((c) => c.zones.some((z) => z.id === symbol.id))
          .map((c) => c.id);
        const text = zone
          ? `**zone \`${symbol.id.replace(/`/g, "'")}\`**${users.length > 0 ? `\n\nUsed by: ${users.map(escapeMarkdown).join(', ')}` : ''}`
          : `\`${symbol.id.replace(/`/g, "'")}\` — not a zone of this file`;
        return new vscode.Hover(new vscode.MarkdownString(text), offsetsToRange(result.lines, symbol.range));
      }
    }
    if (!result.doc) return undefined;
    const at = pathAt(result.doc, offset);
    if (!at || at.part !== 'key') return undefined;
    const markdown = keyHover(schema(), at.path);
    return markdown ? new vscode.Hover(new vscode.MarkdownString(markdown), offsetsToRange(result.lines, at.range)) : undefined;
  }

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    if (!this.enabled(document)) return undefined;
    const result = this.lints.get(document);
    const symbol = result.model && symbolAt(result.model, document.offsetAt(position));
    const target = symbol && result.model && definitionOf(result.model, symbol);
    return target ? new vscode.Location(document.uri, offsetsToRange(result.lines, target)) : undefined;
  }

  provideReferences(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.ReferenceContext,
  ): vscode.Location[] {
    if (!this.enabled(document)) return [];
    const result = this.lints.get(document);
    const symbol = result.model && symbolAt(result.model, document.offsetAt(position));
    if (!symbol || !result.model) return [];
    return occurrencesOf(result.model, symbol, context.includeDeclaration).map(
      (range) => new vscode.Location(document.uri, offsetsToRange(result.lines, range)),
    );
  }

  prepareRename(document: vscode.TextDocument, position: vscode.Position): { range: vscode.Range; placeholder: string } {
    const result = this.lints.get(document);
    const symbol = this.enabled(document) && result.model ? symbolAt(result.model, document.offsetAt(position)) : undefined;
    if (!symbol || symbol.type !== 'component' || !result.model?.components.has(symbol.id)) {
      throw new Error('Only a component id can be renamed here.');
    }
    return { range: offsetsToRange(result.lines, innerRange(result.text, symbol.range)), placeholder: symbol.id };
  }

  provideRenameEdits(document: vscode.TextDocument, position: vscode.Position, newName: string): vscode.WorkspaceEdit {
    const result = this.lints.get(document);
    const symbol = result.model ? symbolAt(result.model, document.offsetAt(position)) : undefined;
    if (!symbol || symbol.type !== 'component' || !result.model) throw new Error('Only a component id can be renamed here.');
    try {
      const edit = new vscode.WorkspaceEdit();
      for (const e of renameEdits(result.text, result.model, symbol.id, newName.trim())) {
        edit.replace(document.uri, offsetsToRange(result.lines, e.range), e.text);
      }
      return edit;
    } catch (error) {
      if (error instanceof RenameError) throw new Error(error.message);
      throw error;
    }
  }

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    if (!this.enabled(document)) return [];
    const result = this.lints.get(document);
    if (!result.model) return [];
    return [...result.model.components.values()].map((c) => {
      const full = offsetsToRange(result.lines, [c.idRange[0], Math.max(c.range[1], c.idRange[1])]);
      return new vscode.DocumentSymbol(
        c.id,
        componentDetail(c),
        SYMBOL_KIND[c.kind],
        full,
        offsetsToRange(result.lines, c.idRange),
      );
    });
  }
}

/** Registers every language feature for architecture files. */
export function registerLanguageFeatures(context: vscode.ExtensionContext, lints: LintService): void {
  const features = new ArchlintLanguageFeatures(lints);
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(ARCH_SELECTOR, features, ' ', '[', ','),
    vscode.languages.registerHoverProvider(ARCH_SELECTOR, features),
    vscode.languages.registerDefinitionProvider(ARCH_SELECTOR, features),
    vscode.languages.registerReferenceProvider(ARCH_SELECTOR, features),
    vscode.languages.registerRenameProvider(ARCH_SELECTOR, features),
    vscode.languages.registerDocumentSymbolProvider(ARCH_SELECTOR, features, { label: 'Archlint' }),
  );
}
