// The page shell: head, top navigation with the live indicator, and the content.
import { html, type Html, type Part } from './html.js';

/** Top-level sections. */
export type Section = 'jobs' | 'agents' | 'costs';

const NAV: [Section, string, string][] = [
  ['jobs', 'Jobs', '/'],
  ['agents', 'Agents', '/agents'],
  ['costs', 'Costs', '/costs'],
];

/** How a page is framed. */
export interface PageOptions {
  title: string;
  section?: Section;
  /** The SSE URL this page follows; pages without it are static. */
  live?: string;
}

// A full HTML document.
export function page(options: PageOptions, content: Part): Html {
  const nav = NAV.map(([id, label, href]) => html`<a href="${href}"${options.section === id ? html` class="active" aria-current="page"` : ''}>${label}</a>`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} · agent-dispatch</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body${options.live ? html` data-live="${options.live}"` : ''}>
<header class="top">
<a class="brand" href="/">agent-dispatch</a>
<nav>${nav}</nav>
${options.live ? html`<span id="live" class="live">connecting…</span>` : ''}
</header>
<main>
${content}
</main>
</body>
</html>`;
}

// The state badge of a job.
export function badge(status: string): Html {
  return html`<span class="badge ${status}">${status}</span>`;
}

// A notice box (bad filter values, action outcomes).
export function notice(text: string, kind: 'info' | 'error' = 'info'): Html {
  return html`<p class="notice${kind === 'error' ? ' error' : ''}" role="status">${text}</p>`;
}
