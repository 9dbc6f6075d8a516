import { DIAGRAM_CSS, VSCODE_PALETTE } from '../../extension/src/diagram/render';

/** The page around the diagram: toolbar, viewport, status. Colours are VS Code's theme variables. */
const PAGE_CSS = `
html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; }
body {
  display: flex; flex-direction: column;
  background: var(--vscode-editor-background); color: var(--vscode-foreground);
  font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px);
}
.toolbar {
  display: flex; align-items: center; gap: 8px; flex-wrap: wrap;
  padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border, transparent);
}
.toolbar .separator { width: 1px; align-self: stretch; margin: 2px 2px; background: var(--vscode-panel-border, #8884); }
.toolbar .status { margin-left: auto; color: var(--vscode-descriptionForeground); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.toolbar .status.warning { color: var(--vscode-editorWarning-foreground); }
.toolbar .status.error { color: var(--vscode-errorForeground); }
.viewport { position: relative; flex: 1; overflow: hidden; cursor: grab; touch-action: none; }
.viewport.panning { cursor: grabbing; }
.stage { position: absolute; left: 0; top: 0; transform-origin: 0 0; }
.stage svg { display: block; overflow: visible; }
.stage .node { cursor: pointer; }
.empty { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; padding: 24px;
  color: var(--vscode-descriptionForeground); text-align: center; pointer-events: none; }
.empty[hidden] { display: none; }
`;

/**
 * Installs the page's styles as a constructed stylesheet: the CSP has no `'unsafe-inline'`,
 * and a constructed sheet needs none (the toolkit's components style themselves the same way).
 */
export function installStyles(doc: Document): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`${VSCODE_PALETTE}${DIAGRAM_CSS}${PAGE_CSS}`);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
}
