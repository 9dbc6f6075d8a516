/**
 * An analysis host whose "disk" is a map the test changes: `readFile` reads it (and records what
 * was read, in `reads`), `listFolder` lists a folder's files from it, and `groupOf` answers the
 * configuration's groups when a test gives it.
 */
import { AnalysisHost, type SourceGroup, type SourceKind } from '../../extension/src/engine';

export function hostWithDisk(
  disk: Record<string, string> = {},
  groupOf?: (uri: string, kind: SourceKind) => SourceGroup | undefined,
) {
  const files = new Map(Object.entries(disk));
  const reads: string[] = [];
  const host = new AnalysisHost({
    readFile: (uri) => {
      reads.push(uri);
      return files.get(uri);
    },
    listFolder: (folder) => [...files.keys()].filter((uri) => uri.startsWith(folder) && !uri.slice(folder.length).includes('/')),
    ...(groupOf && { groupOf }),
  });
  return { host, files, reads };
}
