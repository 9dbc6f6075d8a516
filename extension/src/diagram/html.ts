/** What the diagram page needs from its host: where its scripts are and what the CSP may allow. */
export interface DiagramHtmlOptions {
  /** The origin(s) the page's resources come from (`webview.cspSource` in VS Code). */
  cspSource: string;
  /** A fresh random nonce per page: the only scripts that run carry it. */
  nonce: string;
  /** URI of dist/webview.js. */
  scriptUri: string;
  /** URI of dist/layoutWorker.js (the page starts it, from a blob when it is cross-origin). */
  workerUri: string;
  title: string;
}

const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The diagram page. The CSP allows nothing by default; scripts only with the nonce; styles
 * only from the extension (the page's own styles are constructed stylesheets, which need no
 * inline allowance); workers from the extension or a blob made of its code; fetch only from
 * the extension (to make that blob). Pure, so the browser tests serve the very same page.
 */
export function diagramHtml(o: DiagramHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
    `font-src ${o.cspSource}`,
    `worker-src ${o.cspSource} blob:`,
    `connect-src ${o.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${attr(o.title)}</title>
</head>
<body data-worker-uri="${attr(o.workerUri)}">
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
