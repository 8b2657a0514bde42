// Where a JSON path is in a file: line numbers for error messages that point at the spot.
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';

export type Segment = string | number;

export interface Located {
  file: string;
  /** JSON path, e.g. $.conditions.all[0].fact */
  path: string;
  line: number;
  message: string;
}

export function jsonPath(segments: Segment[]): string {
  return '$' + segments.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `["${s}"]`)).join('');
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Locates a JSON path in a file: the deepest node that exists on the way. */
export class Locator {
  private readonly tree: Node | undefined;
  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.tree = parseTree(text);
  }

  error(segments: Segment[], message: string): Located {
    let node: Node | undefined;
    for (let n = segments.length; n >= 0 && !node; n--) node = this.tree && findNodeAtLocation(this.tree, segments.slice(0, n));
    // A property's value node starts after its key; point at the key's line.
    const offset = node?.parent?.type === 'property' ? node.parent.offset : (node?.offset ?? 0);
    return { file: this.file, path: jsonPath(segments), line: lineAt(this.text, offset), message };
  }
}

