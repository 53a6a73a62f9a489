// Every relative link in the project's Markdown resolves: the file exists and, for `#anchor`
// links, a heading (GitHub's slug of it) or an explicit anchor exists in the target.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const markdown = execSync('git ls-files "*.md"', { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file && !file.startsWith('bench/results/') && existsSync(join(ROOT, file)));

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = text.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const [, id] of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(id);
  return anchors;
}

/** The relative links of a Markdown file, outside code blocks and inline code. */
function linksOf(text: string): string[] {
  const prose = text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(([, href]) => href).filter((href) => !/^[a-z][a-z0-9+.-]*:/i.test(href));
}

describe('relative links in Markdown', () => {
  test('the check sees the README and the docs', () => {
    expect(markdown).toContain('README.md');
    expect(markdown.filter((file) => file.startsWith('docs/')).length).toBeGreaterThan(3);
  });

  test.each(markdown)('%s', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const broken: string[] = [];
    for (const href of linksOf(text)) {
      const [path, anchor] = href.split('#');
      const target = path ? normalize(join(dirname(file), decodeURI(path))) : file;
      const absolute = join(ROOT, target);
      if (!existsSync(absolute)) {
        broken.push(`${href}: no file ${target}`);
        continue;
      }
      if (anchor && target.endsWith('.md') && statSync(absolute).isFile() && !anchorsOf(readFileSync(absolute, 'utf8')).has(anchor))
        broken.push(`${href}: no heading #${anchor} in ${target}`);
    }
    expect(broken).toEqual([]);
  });
});
