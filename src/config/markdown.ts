// Pulls a one-line summary out of a CLAUDE.md or README: the first paragraph of prose, skipping headings,
// badges, HTML, code, tables, lists, front matter and the boilerplate line `claude /init` writes. Pure.

// Lines that are never prose.
const NOT_PROSE = [
  /^#{1,6}(\s|$)/, // heading
  /^(=+|-+|\*{3,}|_{3,})\s*$/, // setext underline, rule
  /^!?\[!\[/, // badge
  /^!\[/, // image
  /^<\/?[A-Za-z!]/, // HTML
  /^\|/, // table
  /^\[[^\]]+\]:\s/, // link reference definition
  /^([-*+]|\d+[.)])\s/, // list item
  /^>/, // block quote
];

// The line `claude /init` puts at the top of every generated CLAUDE.md says nothing about the project.
const BOILERPLATE = /^this file provides guidance to claude( code)?\b/i;

// Strip inline markdown: links and images to their text, emphasis, code ticks, HTML tags.
export function plainText(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

// Cut to at most `max` characters, preferring a sentence end, then a word boundary.
export function clip(text: string, max = 200): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  if (sentence >= max / 3) return head.slice(0, sentence + 1);
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).replace(/[\s,;:.-]+$/, '')}…`;
}

// The first paragraph of prose (at least `minLength` characters), as plain text, or undefined.
export function firstParagraph(markdown: string, minLength = 20): string | undefined {
  const lines = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, n) => n > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (end > 0) i = end + 1;
  }
  let fence: string | undefined;
  let comment = false;
  let paragraph: string[] = [];
  const flush = (): string | undefined => {
    const text = plainText(paragraph.join(' '));
    paragraph = [];
    return text.length >= minLength && !BOILERPLATE.test(text) ? text : undefined;
  };
  for (; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (fence !== undefined) {
      if (line.startsWith(fence)) fence = undefined;
      continue;
    }
    if (comment) {
      if (line.includes('-->')) comment = false;
      continue;
    }
    const opening = /^(`{3,}|~{3,})/.exec(line);
    if (opening) fence = opening[1];
    else if (line.startsWith('<!--')) comment = !line.includes('-->');
    const prose = opening === null && !line.startsWith('<!--') && line !== '' && !NOT_PROSE.some((re) => re.test(line));
    if (prose) {
      paragraph.push(line);
      continue;
    }
    const found = paragraph.length > 0 ? flush() : undefined;
    if (found !== undefined) return found;
  }
  return paragraph.length > 0 ? flush() : undefined;
}

/** The first lines of a file for a preview. */
export interface Preview {
  file: string;
  text: string;
  /** True when the file has more than was shown. */
  truncated: boolean;
}

// The first `maxLines` lines (each cut at 500 characters) of a text.
export function previewText(file: string, text: string, maxLines: number, cut: boolean): Preview {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const shown = lines.slice(0, maxLines).map((l) => (l.length > 500 ? `${l.slice(0, 500)}…` : l));
  return { file, text: shown.join('\n'), truncated: cut || lines.length > maxLines };
}
