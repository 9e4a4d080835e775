/**
 * Groups and checks as k6's summary reports them in `root_group`: paths joined with "::", ids the
 * MD5 of the path, checks counted per group. Size is bounded by the script's distinct group and
 * check names, not by iterations.
 */
import { createHash } from 'node:crypto';

export const GROUP_SEPARATOR = '::';

export interface SummaryCheck {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

export interface SummaryGroup {
  name: string;
  path: string;
  id: string;
  groups: SummaryGroup[];
  checks: SummaryCheck[];
}

class GroupNode {
  readonly groups = new Map<string, GroupNode>();
  readonly checks = new Map<string, SummaryCheck>();
  constructor(
    readonly name: string,
    readonly path: string,
  ) {}
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export class GroupTree {
  private readonly root = new GroupNode('', '');
  private readonly byPath = new Map<string, GroupNode>([['', this.root]]);
  private readonly checkIndex = new Map<string, SummaryCheck>();

  /** Path of group `name` inside `parentPath`; k6 forbids "::" in group names. */
  static childPath(parentPath: string, name: string): string {
    if (name.includes(GROUP_SEPARATOR)) throw new Error(`group and check names may not contain "${GROUP_SEPARATOR}": "${name}"`);
    return parentPath + GROUP_SEPARATOR + name;
  }

  ensure(path: string): GroupNode {
    const found = this.byPath.get(path);
    if (found) return found;
    const cut = path.lastIndexOf(GROUP_SEPARATOR);
    const parent = this.ensure(path.slice(0, cut));
    const node = new GroupNode(path.slice(cut + GROUP_SEPARATOR.length), path);
    parent.groups.set(node.name, node);
    this.byPath.set(path, node);
    return node;
  }

  recordCheck(groupPath: string, name: string, passed: boolean, count = 1): void {
    const key = groupPath + GROUP_SEPARATOR + name;
    let check = this.checkIndex.get(key);
    if (!check) {
      check = { name, path: key, id: md5(key), passes: 0, fails: 0 };
      this.ensure(groupPath).checks.set(name, check);
      this.checkIndex.set(key, check);
    }
    if (passed) check.passes += count;
    else check.fails += count;
  }

  toSummary(): SummaryGroup {
    const convert = (n: GroupNode): SummaryGroup => ({
      name: n.name,
      path: n.path,
      id: md5(n.path),
      groups: [...n.groups.values()].map(convert),
      checks: [...n.checks.values()].map((c) => ({ ...c })),
    });
    return convert(this.root);
  }

  /** Adds a worker's tree (same shape as toSummary) into this one. */
  merge(group: SummaryGroup): void {
    this.ensure(group.path);
    for (const c of group.checks) {
      this.recordCheck(group.path, c.name, true, c.passes);
      this.recordCheck(group.path, c.name, false, c.fails);
    }
    for (const g of group.groups) this.merge(g);
  }
}
