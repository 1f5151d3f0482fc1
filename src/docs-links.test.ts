// Every relative link in the README and the docs pages points to a file of the repository, and
// a `#fragment` to a heading of that page (as GitHub makes its anchors), so that moving a
// section or a file cannot leave a dead link behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const pages = [
  'README.md',
  'training/README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Markdown text without fenced code blocks and inline code, where brackets are not links. */
const prose = (md: string) => md.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(md: string): Set<string> {
  const out = new Set<string>();
  for (const m of md.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    out.add(
      m[1]!
        .toLowerCase()
        .replace(/`/g, '')
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return out;
}

function relativeLinks(md: string): string[] {
  return [...prose(md).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe('links in the README and docs/', () => {
  it.each(pages)('%s: every relative link resolves', (page) => {
    const md = readFileSync(join(root, page), 'utf8');
    const dead: string[] = [];
    for (const link of relativeLinks(md)) {
      const [path, fragment] = link.split('#') as [string, string | undefined];
      const target = path === '' ? join(root, page) : join(root, dirname(page), decodeURIComponent(path));
      if (!existsSync(target)) dead.push(`${link} (no file ${relative(root, target)})`);
      else if (fragment && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(fragment))
        dead.push(`${link} (no heading #${fragment} in ${relative(root, target)})`);
    }
    expect(dead, `${page} has dead links`).toEqual([]);
  });

  it('finds the links it checks', () => {
    // A broken pattern would find nothing and pass everything.
    expect(relativeLinks('See [a](docs/a.md#b), ![i](x.png), [web](https://x.org), `[c](d)`.')).toEqual(['docs/a.md#b', 'x.png']);
    expect(anchors('## Add a model\n### Files in and out (v2)\n')).toEqual(new Set(['add-a-model', 'files-in-and-out-v2']));
  });
});
