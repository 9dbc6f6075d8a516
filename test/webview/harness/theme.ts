/**
 * The theme variables VS Code sets on a webview's <html> (a subset: the ones the diagram and
 * the toolkit read), from the Light Modern and Dark Modern themes, so the harness page looks
 * as it does in the editor.
 */
export const THEMES: Record<'light' | 'dark', Record<string, string>> = {
  light: {
    'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
    'font-size': '13px',
    'editor-font-size': '14px',
    foreground: '#3b3b3b',
    'editor-background': '#ffffff',
    'editor-foreground': '#3b3b3b',
    descriptionForeground: '#6f6f6f',
    'editorWidget-background': '#f8f8f8',
    'editorWidget-border': '#c8c8c8',
    'textLink-foreground': '#005fb8',
    focusBorder: '#005fb8',
    'editorError-foreground': '#e51400',
    'editorWarning-foreground': '#bf8803',
    'editorInfo-foreground': '#1a85ff',
    'editorLineNumber-foreground': '#6e7681',
    'charts-blue': '#1a85ff',
    'charts-green': '#388a34',
    'charts-purple': '#652d90',
    'charts-orange': '#d18616',
    'charts-yellow': '#bf8803',
    'sideBar-background': '#f8f8f8',
    'panel-border': '#e5e5e5',
    'inputValidation-errorBackground': '#f2dede',
    'diffEditor-removedLineBackground': 'rgba(255, 0, 0, 0.08)',
    disabledForeground: 'rgba(97, 97, 97, 0.5)',
    errorForeground: '#f85149',
    'icon-foreground': '#3b3b3b',
    'toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
  },
  dark: {
    'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
    'font-size': '13px',
    'editor-font-size': '14px',
    foreground: '#cccccc',
    'editor-background': '#1f1f1f',
    'editor-foreground': '#cccccc',
    descriptionForeground: '#9d9d9d',
    'editorWidget-background': '#202020',
    'editorWidget-border': '#454545',
    'textLink-foreground': '#4daafc',
    focusBorder: '#0078d4',
    'editorError-foreground': '#f14c4c',
    'editorWarning-foreground': '#cca700',
    'editorInfo-foreground': '#3794ff',
    'editorLineNumber-foreground': '#6e7681',
    'charts-blue': '#3794ff',
    'charts-green': '#89d185',
    'charts-purple': '#b180d7',
    'charts-orange': '#d18616',
    'charts-yellow': '#cca700',
    'sideBar-background': '#181818',
    'panel-border': '#2b2b2b',
    'inputValidation-errorBackground': '#5a1d1d',
    'diffEditor-removedLineBackground': 'rgba(255, 0, 0, 0.12)',
    disabledForeground: 'rgba(204, 204, 204, 0.5)',
    errorForeground: '#f85149',
    'icon-foreground': '#cccccc',
    'toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
  },
};

/**
 * Sets the theme's variables the way VS Code does: inline on <html> (through the CSSOM, which the
 * CSP allows). `editorFontSize` stands for the user's `editor.fontSize` (`none`: a page without the
 * variable, as outside VS Code).
 */
export function applyTheme(name: 'light' | 'dark', editorFontSize?: string | null): void {
  const root = document.documentElement;
  for (const [key, value] of Object.entries(THEMES[name])) root.style.setProperty(`--vscode-${key}`, value);
  if (editorFontSize === 'none') root.style.removeProperty('--vscode-editor-font-size');
  else if (editorFontSize) root.style.setProperty('--vscode-editor-font-size', `${Number(editorFontSize)}px`);
  root.classList.add(name === 'dark' ? 'vscode-dark' : 'vscode-light');
}
