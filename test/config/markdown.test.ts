import { describe, expect, it } from 'vitest';
import { clip, firstParagraph, plainText, previewText } from '../../src/config/markdown.js';

describe('firstParagraph', () => {
  it.each([
    ['a plain paragraph', 'Billing service for the shop.\n', 'Billing service for the shop.'],
    ['the paragraph after a heading', '# Billing\n\nBilling service for the shop,\nwith invoices.\n\nMore.\n', 'Billing service for the shop, with invoices.'],
    ['past badges and images', '# X\n[![CI](b.svg)](ci)\n![logo](l.png)\n<p align="center"><img src="x"></p>\n\nReal text about the project.\n', 'Real text about the project.'],
    ['past the claude /init boilerplate', '# CLAUDE.md\n\nThis file provides guidance to Claude Code (claude.ai/code) when working with code in this repository.\n\n## Overview\n\nInventory API in Go.\n', 'Inventory API in Go.'],
    ['past front matter', '---\ntitle: x\n---\nThe docs site generator.\n', 'The docs site generator.'],
    ['past code fences', '```bash\nnpm install something long enough\n```\nA tool for tidy builds.\n', 'A tool for tidy builds.'],
    ['past HTML comments', '<!--\nlong hidden comment text here\n-->\nVisible project description.\n', 'Visible project description.'],
    ['past lists, tables and quotes', '- item one is long enough\n| a | b |\n> note that is long enough\n\nThe summary line of it.\n', 'The summary line of it.'],
    ['with markdown stripped', 'A **fast** [router](http://x) for `http` _services_.\n', 'A fast router for http services.'],
    ['with Windows line endings', '# T\r\n\r\nCross-platform text here.\r\n', 'Cross-platform text here.'],
  ])('finds %s', (_, markdown, expected) => {
    expect(firstParagraph(markdown)).toBe(expected);
  });

  it.each([
    ['nothing but headings', '# A\n## B\n'],
    ['a too-short line', 'Hi.\n'],
    ['an unclosed fence', '```\nall code here forever and ever\n'],
  ])('returns undefined for %s', (_, markdown) => {
    expect(firstParagraph(markdown)).toBeUndefined();
  });
});

describe('plainText', () => {
  it.each([
    ['![img](x) text', 'text'],
    ['[ref text][1] here', 'ref text here'],
    ['snake_case_name stays', 'snake_case_name stays'],
    ['<b>bold</b>   spaced', 'bold spaced'],
  ])('renders %j as %j', (input, expected) => {
    expect(plainText(input)).toBe(expected);
  });
});

describe('clip', () => {
  it.each([
    ['short', 20, 'short'],
    ['One sentence here. Second sentence is long.', 30, 'One sentence here.'],
    ['word word word word word word', 12, 'word word…'],
  ])('clips %j to %i characters', (text, max, expected) => {
    expect(clip(text, max)).toBe(expected);
  });
});

describe('previewText', () => {
  it('shows the first lines and says whether there is more', () => {
    expect(previewText('README.md', 'a\nb\nc\n', 2, false)).toEqual({ file: 'README.md', text: 'a\nb', truncated: true });
    expect(previewText('README.md', 'a\nb\n', 2, false)).toEqual({ file: 'README.md', text: 'a\nb', truncated: false });
    expect(previewText('README.md', 'a\n', 5, true).truncated).toBe(true);
  });

  it('cuts very long lines', () => {
    expect(previewText('x', 'y'.repeat(10_000), 1, false).text).toHaveLength(501);
  });
});
